import { checkChunkData, checkChunkKey } from "./chunkKey.js";
import { checkSyncTx, copyBytes } from "./checkSyncTx.js";
import type { DocSyncState, OutboxEntry, PeerStorage, SyncSnapshot, SyncTx } from "./PeerStorage.js";

/** Options of {@link IndexedDbPeerStorage}. */
export interface IndexedDbPeerStorageOptions {
  /** The IndexedDB to use; default `globalThis.indexedDB` (tests pass fake-indexeddb's). */
  indexedDB?: IDBFactory;
  /** The `IDBKeyRange` of that IndexedDB; default `globalThis.IDBKeyRange`. */
  keyRange?: typeof IDBKeyRange;
}

const VERSION = 1;
/** Chunks by their key array (IndexedDB orders array keys segment by segment). */
const CHUNKS = "chunks";
/** Per-document sync state by document id. */
const DOCS = "docs";
/** Outbox entries under auto-incremented keys, so key order is insertion order; unique index on `id`. */
const OUTBOX = "outbox";
const OUTBOX_BY_ID = "id";
/** Meta values by name. */
const META = "meta";
/** Single values of the sync state: the cursor. */
const SYNC = "sync";
const CURSOR = "cursor";
const SYNC_STORES = [DOCS, OUTBOX, META, SYNC];

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // The failed request's error is the cause (the transaction's own is set only once it aborted).
    tx.onerror = (ev) => reject((ev.target as IDBRequest | null)?.error ?? tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * The keys starting with `prefix`, segment by segment: from `prefix` itself up to (excluding)
 * `[...prefix, []]` — an array sorts after every string, so every longer key that continues
 * `prefix` with a string segment falls in between, and no other key does.
 */
function prefixRange(keyRange: typeof IDBKeyRange, prefix: string[]): IDBKeyRange | undefined {
  return prefix.length === 0 ? undefined : keyRange.bound(prefix, [...prefix, []], false, true);
}

/**
 * A {@link PeerStorage} in IndexedDB, for the browser: one database per workspace (its name is
 * given), with object stores for chunks, document sync state, the outbox and meta. `commit` is
 * one readwrite transaction across the sync stores, so IndexedDB makes it all-or-nothing, and
 * transactions run in the order they were created. `clear` deletes the database; the next call
 * creates it afresh. When another connection (another tab) needs to delete or upgrade the
 * database, this one closes and reopens on its next call instead of blocking it.
 *
 * @example
 * ```ts
 * const storage = await IndexedDbPeerStorage.open(`botschat-${userId}`);
 * const repo = new Repo({ storage: new PeerStorageAdapter(storage), network: [] });
 * ```
 */
export class IndexedDbPeerStorage implements PeerStorage {
  readonly #name: string;
  readonly #factory: IDBFactory;
  readonly #keyRange: typeof IDBKeyRange;
  #db: Promise<IDBDatabase> | undefined;
  #closed = false;

  /** The database opens on first use; {@link IndexedDbPeerStorage.open} opens it at once. */
  constructor(name: string, options: IndexedDbPeerStorageOptions = {}) {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    const keyRange = options.keyRange ?? globalThis.IDBKeyRange;
    if (!factory || !keyRange) throw new Error("IndexedDbPeerStorage: no IndexedDB in this environment");
    this.#name = name;
    this.#factory = factory;
    this.#keyRange = keyRange;
  }

  /** Opens (creating if needed) the database `name`, so an unusable IndexedDB fails here. */
  static async open(name: string, options: IndexedDbPeerStorageOptions = {}): Promise<IndexedDbPeerStorage> {
    const storage = new IndexedDbPeerStorage(name, options);
    await storage.#database();
    return storage;
  }

  #database(): Promise<IDBDatabase> {
    if (this.#closed) return Promise.reject(new Error("IndexedDbPeerStorage is closed"));
    this.#db ??= this.#connect();
    return this.#db;
  }

  #connect(): Promise<IDBDatabase> {
    const opening = this.#factory.open(this.#name, VERSION);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      db.createObjectStore(CHUNKS);
      db.createObjectStore(DOCS);
      db.createObjectStore(OUTBOX, { autoIncrement: true }).createIndex(OUTBOX_BY_ID, "id", { unique: true });
      db.createObjectStore(META);
      db.createObjectStore(SYNC);
    };
    const connected = request(opening).then((db) => {
      db.onversionchange = () => {
        db.close();
        if (this.#db === connected) this.#db = undefined;
      };
      return db;
    });
    // A failed open is not cached: the next call tries again.
    connected.catch(() => {
      if (this.#db === connected) this.#db = undefined;
    });
    return connected;
  }

  /** Runs `body` in one transaction and resolves with its result once the transaction commits. */
  async #run<T>(stores: string | string[], mode: IDBTransactionMode, body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
    const db = await this.#database();
    const tx = db.transaction(stores, mode);
    const committed = done(tx);
    // A request that fails while `body` still runs settles this early: handled now (an unhandled
    // rejection otherwise), reported below.
    committed.catch(() => undefined);
    let result: T;
    try {
      result = await body(tx);
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborted: the transaction's own error is reported below.
      }
      await committed.catch(() => undefined);
      // After a failed request aborted it, later requests fail with AbortError: report the cause.
      throw tx.error ?? e;
    }
    await committed;
    return result;
  }

  // ---- chunks ----

  async load(key: string[]): Promise<Uint8Array | undefined> {
    checkChunkKey(key);
    return this.#run(CHUNKS, "readonly", (tx) => request(tx.objectStore(CHUNKS).get(key) as IDBRequest<Uint8Array | undefined>));
  }

  async save(key: string[], data: Uint8Array): Promise<void> {
    // An exact copy: a view would make IndexedDB clone its whole underlying buffer.
    const bytes = copyBytes(checkChunkData(data));
    const k = [...checkChunkKey(key)];
    await this.#run(CHUNKS, "readwrite", (tx) => request(tx.objectStore(CHUNKS).put(bytes, k)));
  }

  async remove(key: string[]): Promise<void> {
    checkChunkKey(key);
    await this.#run(CHUNKS, "readwrite", (tx) => request(tx.objectStore(CHUNKS).delete(key)));
  }

  async loadRange(prefix: string[]): Promise<{ key: string[]; data: Uint8Array | undefined }[]> {
    const range = prefixRange(this.#keyRange, checkChunkKey(prefix));
    return this.#run(CHUNKS, "readonly", async (tx) => {
      const store = tx.objectStore(CHUNKS);
      const [keys, values] = await Promise.all([request(store.getAllKeys(range)), request(store.getAll(range) as IDBRequest<Uint8Array[]>)]);
      return keys.map((key, i) => ({ key: key as string[], data: values[i] }));
    });
  }

  async removeRange(prefix: string[]): Promise<void> {
    const range = prefixRange(this.#keyRange, checkChunkKey(prefix));
    await this.#run(CHUNKS, "readwrite", (tx) => {
      const store = tx.objectStore(CHUNKS);
      return request(range ? store.delete(range) : store.clear());
    });
  }

  // ---- sync state ----

  async loadSync(): Promise<SyncSnapshot> {
    return this.#run(SYNC_STORES, "readonly", async (tx) => {
      const docs = tx.objectStore(DOCS);
      const meta = tx.objectStore(META);
      const [docIds, docStates, outbox, metaKeys, metaValues, cursor] = await Promise.all([
        request(docs.getAllKeys()),
        request(docs.getAll() as IDBRequest<DocSyncState[]>),
        request(tx.objectStore(OUTBOX).getAll() as IDBRequest<OutboxEntry[]>),
        request(meta.getAllKeys()),
        request(meta.getAll() as IDBRequest<Uint8Array[]>),
        request(tx.objectStore(SYNC).get(CURSOR) as IDBRequest<number | undefined>),
      ]);
      return {
        cursor: cursor ?? 0,
        docs: new Map(docIds.map((id, i) => [id as string, docStates[i] as DocSyncState])),
        outbox,
        meta: new Map(metaKeys.map((k, i) => [k as string, metaValues[i] as Uint8Array])),
      };
    });
  }

  async commit(tx: SyncTx): Promise<void> {
    const checked = checkSyncTx(tx);
    await this.#run(SYNC_STORES, "readwrite", async (t) => {
      const docs = t.objectStore(DOCS);
      for (const [id, state] of checked.docs ?? []) docs.put(state, id);
      for (const id of checked.dropDocs ?? []) docs.delete(id);
      const outbox = t.objectStore(OUTBOX);
      const byId = outbox.index(OUTBOX_BY_ID);
      // Each step needs the result of the one before (whether an id is present), so they wait in turn.
      for (const id of checked.outboxRemove ?? []) {
        const key = await request(byId.getKey(id));
        if (key !== undefined) outbox.delete(key);
      }
      for (const entry of checked.outboxAdd ?? []) {
        const key = await request(byId.getKey(entry.id));
        if (key === undefined) outbox.add(entry);
        else outbox.put(entry, key);
      }
      const meta = t.objectStore(META);
      for (const [key, value] of checked.meta ?? []) {
        if (value === null) meta.delete(key);
        else meta.put(value, key);
      }
      if (checked.cursor !== undefined) t.objectStore(SYNC).put(checked.cursor, CURSOR);
    });
  }

  // ---- lifecycle ----

  async clear(): Promise<void> {
    const db = await this.#database();
    this.#db = undefined;
    // close() lets running transactions finish; the deletion waits for every connection to close.
    db.close();
    await request(this.#factory.deleteDatabase(this.#name));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db.catch(() => undefined))?.close();
  }
}
