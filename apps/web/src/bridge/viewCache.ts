import type { ChannelDocView, MessageDocView, RootView } from "../shared/views.js";

/** The last screen as plain data: what a warm start draws before the worker has answered. */
export interface CachedView {
  root: RootView;
  channel?: ChannelDocView;
  /** The last page(s) of the session on screen. */
  pages: MessageDocView[];
  savedAt: number;
}

const DB = "botschat-view-cache";
const STORE = "views";

let opened: Promise<IDBDatabase> | undefined;

/** One connection for the page's life, so a save at `pagehide` is a single transaction. */
function openDb(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      // Another tab deleting or upgrading the database must not wait for this one.
      req.result.onversionchange = () => {
        req.result.close();
        opened = undefined;
      };
      resolve(req.result);
    };
    req.onerror = () => reject(req.error ?? new Error("cannot open the view cache"));
  }).catch((e: unknown) => {
    opened = undefined;
    throw e;
  });
  return opened;
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  try {
    const db = await openDb();
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error("view cache transaction failed"));
    });
  } catch {
    // A cache that cannot be read or written only makes the next start slower.
    return undefined;
  }
}

/**
 * The last screen of an account, kept only while its passphrase is remembered on this device (the
 * workspace then opens without asking anyway) and dropped on Lock and sign-out.
 */
export const viewCache = {
  load: async (userId: string): Promise<CachedView | undefined> => {
    // index.html starts this read before the app's code has loaded.
    const early = (globalThis as { __botschatCachedView?: Promise<{ userId: string; view?: CachedView } | undefined> }).__botschatCachedView;
    const got = early === undefined ? undefined : await early;
    if (got !== undefined && got.userId === userId) return got.view;
    return run<CachedView | undefined>("readonly", (s) => s.get(userId));
  },
  save: async (userId: string, view: CachedView): Promise<void> => void (await run("readwrite", (s) => s.put(view, userId))),
  clear: async (userId: string): Promise<void> => void (await run("readwrite", (s) => s.delete(userId))),
};
