import * as A from "@automerge/automerge";
import { type DocHandle, type DocumentId, Repo } from "@automerge/automerge-repo";
import type { DocStore } from "./DocStore.js";
import { initialChange } from "./deterministicDoc.js";
import { OpError, OpErrorCode } from "../ops/OpError.js";

/**
 * A {@link DocStore} over an in-memory automerge-repo `Repo` with no network: one "device" in
 * tests. {@link MemoryDocStore.syncFrom} merges another store's documents into this one, which is
 * how tests play two devices that meet after working offline.
 *
 * @example
 * const phone = new MemoryDocStore();
 * const laptop = new MemoryDocStore();
 * await sendMessage(phone, me, { channelDoc, session, text: "hi" });
 * laptop.syncFrom(phone);
 */
export class MemoryDocStore implements DocStore {
  readonly repo: Repo;
  /** Documents tombstoned through this store (or learned from another by `syncFrom`). */
  readonly tombstoned = new Set<DocumentId>();

  constructor(repo: Repo = new Repo({ network: [] })) {
    this.repo = repo;
  }

  async find<T>(id: DocumentId): Promise<DocHandle<T>> {
    if (this.tombstoned.has(id)) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    const cached = this.repo.handles[id] as DocHandle<T> | undefined;
    if (cached?.isReady()) return cached;
    return this.repo.find<T>(id);
  }

  create<T>(initial: T): DocHandle<T> {
    return this.repo.create<T>(initial);
  }

  async ensure<T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>> {
    if (this.tombstoned.has(id)) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    const cached = this.repo.handles[id] as DocHandle<T> | undefined;
    if (cached?.isReady()) return cached;
    return this.importInto<T>(id, initialChange(initial() as object));
  }

  /**
   * Marks a document deleted: `find`, `ensure` and `syncFrom` refuse it from now on. The Repo's
   * handle is left alone (this store lives only as long as a test): `repo.delete` races with
   * automerge-repo's synchronizer on a fresh handle and logs spurious errors.
   */
  async tombstone(id: DocumentId): Promise<void> {
    this.tombstoned.add(id);
  }

  /** Whether this store holds a live (ready, not tombstoned) copy of a document. */
  has(id: DocumentId): boolean {
    return !this.tombstoned.has(id) && this.repo.handles[id]?.isReady() === true;
  }

  /**
   * Merges every document (and tombstone) of `other` into this store, as if the two devices had
   * synced one way. Call it both ways for a full exchange.
   */
  syncFrom(other: MemoryDocStore): void {
    for (const id of other.tombstoned) void this.tombstone(id);
    for (const [id, handle] of Object.entries(other.repo.handles) as [DocumentId, DocHandle<unknown>][]) {
      if (this.tombstoned.has(id) || !handle.isReady()) continue;
      const mine = this.repo.handles[id];
      if (mine?.isReady()) {
        mine.merge(handle as DocHandle<never>);
      } else {
        this.importInto(id, A.save(handle.doc()));
      }
    }
  }

  private importInto<T>(id: DocumentId, bytes: Uint8Array): DocHandle<T> {
    const handle = this.repo.import<T>(bytes, { docId: id });
    if (!handle.isReady()) handle.doneLoading();
    return handle;
  }
}
