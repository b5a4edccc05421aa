/** A moment as the settings show it: a medium date and a short time, in the person's locale. */
export const when = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
