declare const __APP_VERSION__: string | undefined;

/** The web app's version (its package.json), put in by the build; "dev" where nothing put it in (tests). */
export const APP_VERSION: string = typeof __APP_VERSION__ === "string" ? __APP_VERSION__ : "dev";
