import type { DocHandle, DocumentId } from "@automerge/automerge-repo";

/**
 * What operations need to reach documents; the sync engine implements it, and
 * {@link MemoryDocStore} implements it over an in-memory Repo for tests.
 */
export interface DocStore {
  /**
   * Resolves a handle, loading from local storage (or waiting for sync) as needed. Rejects with
   * an `OpError` whose code is `deleted` for a deleted document.
   */
  find<T>(id: DocumentId): Promise<DocHandle<T>>;
  /** A new document with a random id. */
  create<T>(initial: T): DocHandle<T>;
  /**
   * The document with a derived id, created from a deterministic first change if absent. A
   * deleted one is not created again: rejects with an `OpError` whose code is `deleted`.
   */
  ensure<T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>>;
  /** Deletes a document everywhere (a tombstone snapshot, PROTOCOL [S4]). */
  tombstone(id: DocumentId): Promise<void>;
  /**
   * Where documents reach other devices through the relay: sends the document's queued changes
   * and calls `decide` at their place in the relay's order (see `SyncEngine.afterAck`). Absent on
   * a store with no relay behind it, where the local copy is all there is.
   */
  afterAck?<T>(id: DocumentId, decide: () => T): Promise<T | undefined>;
}
