import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** Where the run leaves its pictures of the main screens (gitignored; look at them after a change). */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));

/**
 * Saves the page as `<name>-light.png` and `<name>-dark.png` (the `prefers-color-scheme` media
 * feature switched on the same page), then leaves it light. Waits for web fonts first.
 */
export async function screenshotLightAndDark(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate("document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))");
    await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}
