import { checkChunkData, checkChunkKey, isKeyPrefix } from "./chunkKey.js";
import { checkSyncTx, copyBytes } from "./checkSyncTx.js";
import type { PeerStorage, SyncSnapshot, SyncTx } from "./PeerStorage.js";
import { applySyncTx, emptySyncState, syncSnapshotOf, type SyncState } from "./SyncState.js";

interface MemoryData {
  /** Chunks by `JSON.stringify(key)`, which is unambiguous for arrays of strings. */
  chunks: Map<string, { key: string[]; data: Uint8Array }>;
  sync: SyncState;
}

/**
 * A {@link PeerStorage} in memory: for tests and for peers that keep nothing between runs.
 * {@link MemoryPeerStorage.reopen} gives a new instance over the same data, which is how a test
 * restarts a peer without touching a disk.
 *
 * @example
 * ```ts
 * const storage = new MemoryPeerStorage();
 * await storage.commit({ outboxAdd: [entry] });
 * await storage.close();
 * const restarted = storage.reopen(); // same chunks, cursor, outbox and meta
 * ```
 */
export class MemoryPeerStorage implements PeerStorage {
  #data: MemoryData;
  #closed = false;

  constructor() {
    this.#data = { chunks: new Map(), sync: emptySyncState() };
  }

  /** A new, open instance over this store's data (as if the process had restarted). */
  reopen(): MemoryPeerStorage {
    const next = new MemoryPeerStorage();
    next.#data = this.#data;
    return next;
  }

  #open(): MemoryData {
    if (this.#closed) throw new Error("MemoryPeerStorage is closed");
    return this.#data;
  }

  // Every method does its work before its first await, so operations apply in call order.
  async load(key: string[]): Promise<Uint8Array | undefined> {
    const found = this.#open().chunks.get(JSON.stringify(checkChunkKey(key)));
    return found && copyBytes(found.data);
  }

  async save(key: string[], data: Uint8Array): Promise<void> {
    const k = [...checkChunkKey(key)];
    this.#open().chunks.set(JSON.stringify(k), { key: k, data: copyBytes(checkChunkData(data)) });
  }

  async remove(key: string[]): Promise<void> {
    this.#open().chunks.delete(JSON.stringify(checkChunkKey(key)));
  }

  async loadRange(prefix: string[]): Promise<{ key: string[]; data: Uint8Array | undefined }[]> {
    checkChunkKey(prefix);
    return [...this.#open().chunks.values()].filter((c) => isKeyPrefix(prefix, c.key)).map((c) => ({ key: [...c.key], data: copyBytes(c.data) }));
  }

  async removeRange(prefix: string[]): Promise<void> {
    checkChunkKey(prefix);
    const { chunks } = this.#open();
    for (const [id, c] of chunks) if (isKeyPrefix(prefix, c.key)) chunks.delete(id);
  }

  async loadSync(): Promise<SyncSnapshot> {
    return syncSnapshotOf(this.#open().sync);
  }

  async commit(tx: SyncTx): Promise<void> {
    const data = this.#open();
    applySyncTx(data.sync, checkSyncTx(tx));
  }

  async clear(): Promise<void> {
    const data = this.#open();
    data.chunks.clear();
    data.sync = emptySyncState();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
