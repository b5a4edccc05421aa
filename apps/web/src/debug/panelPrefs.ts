/** Where this device keeps the Debug log's height, and whether it was open. */
export const HEIGHT_KEY = "botschat.debugLogHeight";
export const OPEN_KEY = "botschat.debugLogOpen";
export const DEFAULT_HEIGHT = 260;
export const MIN_HEIGHT = 120;
/** What the workspace above keeps at least, so its composer stays usable. */
export const WORKSPACE_MIN = 240;

/** A height that fits the window: at least MIN_HEIGHT, and leaving WORKSPACE_MIN above it where the window allows. */
export function clampHeight(h: number, windowHeight: number): number {
  const max = Math.max(MIN_HEIGHT, windowHeight - WORKSPACE_MIN);
  return Math.round(Math.min(Math.max(Number.isFinite(h) ? h : DEFAULT_HEIGHT, MIN_HEIGHT), max));
}

/** The height this device chose last (or the default). */
export function storedHeight(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): number {
  const v = Number(storage?.getItem(HEIGHT_KEY));
  return v > 0 ? v : DEFAULT_HEIGHT;
}

export function storeHeight(h: number, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(HEIGHT_KEY, String(Math.round(h)));
  } catch {
    // Storage full or refused: the height lasts until the page closes.
  }
}

/** Whether the Debug log was left open on this device (it opens again docked at the next start). */
export function storedOpen(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): boolean {
  return storage?.getItem(OPEN_KEY) === "1";
}

export function storeOpen(open: boolean, storage: Pick<Storage, "setItem" | "removeItem"> | undefined = globalThis.localStorage): void {
  try {
    if (open) storage?.setItem(OPEN_KEY, "1");
    else storage?.removeItem(OPEN_KEY);
  } catch {
    // As above: remembered until the page closes.
  }
}
