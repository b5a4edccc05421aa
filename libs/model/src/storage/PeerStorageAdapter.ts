import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo";
import type { PeerStorage } from "./PeerStorage.js";

/**
 * automerge-repo's storage interface over a {@link PeerStorage}, so a `Repo` keeps its document
 * chunks in the same store as the sync state and outbox.
 *
 * @example
 * ```ts
 * const repo = new Repo({ storage: new PeerStorageAdapter(peerStorage), network: [] });
 * ```
 */
export class PeerStorageAdapter implements StorageAdapterInterface {
  readonly #storage: PeerStorage;

  constructor(storage: PeerStorage) {
    this.#storage = storage;
  }

  load(key: StorageKey): Promise<Uint8Array | undefined> {
    return this.#storage.load(key);
  }

  save(key: StorageKey, data: Uint8Array): Promise<void> {
    return this.#storage.save(key, data);
  }

  remove(key: StorageKey): Promise<void> {
    return this.#storage.remove(key);
  }

  loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    return this.#storage.loadRange(keyPrefix);
  }

  removeRange(keyPrefix: StorageKey): Promise<void> {
    return this.#storage.removeRange(keyPrefix);
  }
}
