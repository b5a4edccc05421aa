import type { ChannelDocView, JobsView, MessageDocView, RootView, TaskPageView } from "../shared/views.js";

/** The last screen as plain data: what a warm start draws before the worker has answered. */
export interface CachedView {
  root: RootView;
  channel?: ChannelDocView;
  /** The last page(s) of the session on screen. */
  pages: MessageDocView[];
  /** The task page last on screen, with the newest jobs it showed. */
  task?: { page: TaskPageView; jobs: JobsView };
  savedAt: number;
}

/** The localStorage key of an account's last screen. */
export const viewCacheKey = (userId: string): string => `botschat.view.${userId}`;

/**
 * Above this many characters of JSON the oldest cached messages are dropped (localStorage holds
 * about 5 MB per origin, shared with the account and the last-used choices).
 */
export const MAX_CACHED_CHARS = 1_000_000;

/** The IndexedDB database earlier versions kept the last screen in; deleted on the first save or clear. */
const LEGACY_DB = "botschat-view-cache";
let legacyDropped = false;

function dropLegacy(): void {
  if (legacyDropped) return;
  legacyDropped = true;
  try {
    indexedDB.deleteDatabase(LEGACY_DB);
  } catch {
    // No IndexedDB here: nothing was kept in it either.
  }
}

function isCachedView(v: unknown): v is CachedView {
  const c = v as CachedView | null;
  return typeof c === "object" && c !== null && typeof c.root === "object" && c.root !== null && Array.isArray(c.root.channels) && Array.isArray(c.pages);
}

/** The view as JSON within {@link MAX_CACHED_CHARS}: the oldest messages go first; undefined if even none fit. */
function serialise(view: CachedView): string | undefined {
  let v = view;
  for (;;) {
    const json = JSON.stringify(v);
    if (json.length <= MAX_CACHED_CHARS) return json;
    const count = v.pages.reduce((n, p) => n + p.messages.length, 0);
    if (count === 0) return undefined;
    const keep = Math.floor(count / 2);
    let skip = count - keep;
    v = {
      ...v,
      pages: v.pages.map((p) => {
        const drop = Math.min(skip, p.messages.length);
        skip -= drop;
        return { ...p, messages: p.messages.slice(drop) };
      }),
    };
  }
}

/**
 * The last screen of an account, kept only while its passphrase is remembered on this device (the
 * workspace then opens without asking anyway) and dropped on Lock and sign-out.
 *
 * It lives in localStorage, not IndexedDB: a warm start reads it synchronously while the app's
 * first render runs, so the cached workspace is the first thing drawn (an IndexedDB read costs a
 * round trip to the browser process, 20–90 ms on a busy machine, and a "Starting…" frame before it).
 */
export const viewCache = {
  /** The cached screen of `userId`, read synchronously (undefined when there is none or it cannot be read). */
  peek: (userId: string): CachedView | undefined => {
    try {
      const json = localStorage.getItem(viewCacheKey(userId));
      if (json === null) return undefined;
      const v = JSON.parse(json) as unknown;
      return isCachedView(v) ? v : undefined;
    } catch {
      return undefined;
    }
  },
  save: async (userId: string, view: CachedView): Promise<void> => {
    dropLegacy();
    try {
      const json = serialise(view);
      if (json === undefined) localStorage.removeItem(viewCacheKey(userId));
      else localStorage.setItem(viewCacheKey(userId), json);
    } catch {
      // Storage full or unavailable: the next start only draws later. A stale copy must not stay.
      try {
        localStorage.removeItem(viewCacheKey(userId));
      } catch {
        // Nothing to remove.
      }
    }
  },
  clear: async (userId: string): Promise<void> => {
    dropLegacy();
    try {
      localStorage.removeItem(viewCacheKey(userId));
    } catch {
      // Nothing was stored.
    }
  },
};
