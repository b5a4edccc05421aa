import * as A from "@automerge/automerge";
import { Repo, type DocHandle, type DocumentId } from "@automerge/automerge-repo";
import { OpError, OpErrorCode } from "../ops/OpError.js";
import type { DocSyncState, PeerStorage } from "../storage/PeerStorage.js";
import { PeerStorageAdapter } from "../storage/PeerStorageAdapter.js";
import { chunkKey, flushReady, isDocChunk, listenerCount, unloadHandle } from "./repoInternals.js";

/** One document's life on this device: one record, whatever it is doing. */
interface DocRecord {
  /** Its sync bookkeeping, which the engine persists; absent until the document is known here. */
  state?: DocSyncState;
  /** Its handle while loaded. */
  handle?: DocHandle<unknown>;
  /** The load under way, if any. */
  loading?: Promise<DocHandle<unknown>>;
  /**
   * Work on the document's handle or stored chunks — loads, unloads, removal, chunk writes and
   * merges — runs one piece at a time, in the order asked: so a load sees every chunk written
   * before it, and a deletion waits for a load under way and then lets go of what it loaded.
   */
  queue: Promise<unknown>;
  /** Its deletion has begun: no load may start any more. */
  dropped: boolean;
  /** Changed locally since its changes were last taken out. */
  dirty: boolean;
  /** Its pending mark is stored (or being stored) by the engine. */
  marked: boolean;
  /** Listeners the Repo and this module put on its handle. */
  ownListeners: number;
  /** Chunks stored for it while not loaded, since it was last loaded or merged (count, bytes, last merge's size). */
  loose?: { chunks: number; bytes: number; merged: number };
}

export interface LoadedDocumentsOptions {
  storage: PeerStorage;
  /** Loose chunks a document that is not loaded may collect before they are merged into one. */
  mergeChunksAfter: number;
  /** A loaded document changed on this device (not through {@link LoadedDocuments.applyRemote}). */
  changed(id: DocumentId): void;
  /** A handle was registered: `created` on this device now, or loaded from storage. */
  adopted(id: DocumentId, handle: DocHandle<unknown>, created: boolean): void;
  log(msg: string): void;
}

/**
 * The documents of this device, one record each (in the way automerge-repo's `DocHandle` keeps
 * one state machine per document): their sync states, which are loaded, the loads, unloads and
 * chunk writes under way (one at a time per document), local dirtiness and last use. The one
 * owner of the `Repo`; what it relies on beyond automerge-repo's contract is in `repoInternals`.
 */
export class LoadedDocuments {
  readonly repo: Repo;
  private readonly records = new Map<DocumentId, DocRecord>();
  /** Loaded documents by when this device last used them, least recent first. */
  private readonly lastUsed = new Map<DocumentId, number>();
  private remote: DocumentId | undefined;

  constructor(private readonly opts: LoadedDocumentsOptions) {
    this.repo = new Repo({ storage: new PeerStorageAdapter(opts.storage), network: [], sharePolicy: async () => false });
  }

  private record(id: DocumentId): DocRecord {
    let r = this.records.get(id);
    if (!r) {
      r = { queue: Promise.resolve(), dropped: false, dirty: false, marked: false, ownListeners: 0 };
      this.records.set(id, r);
    }
    return r;
  }

  /** Runs `work` after everything queued for the document; a failure fails only this caller. */
  private exclusive<T>(id: DocumentId, work: () => Promise<T>): Promise<T> {
    const r = this.record(id);
    const run = r.queue.then(work);
    r.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- sync states

  state(id: DocumentId): DocSyncState | undefined {
    return this.records.get(id)?.state;
  }

  setState(id: DocumentId, state: DocSyncState): void {
    this.record(id).state = state;
  }

  /** Whether a document is known here and not deleted. */
  has(id: DocumentId): boolean {
    const st = this.records.get(id)?.state;
    return st !== undefined && !st.deleted;
  }

  /** Every document known here (not deleted). */
  ids(): DocumentId[] {
    return [...this.records].filter(([, r]) => r.state && !r.state.deleted).map(([id]) => id);
  }

  /** How many documents have a sync state (deleted ones included). */
  get stateCount(): number {
    let n = 0;
    for (const r of this.records.values()) if (r.state) n += 1;
    return n;
  }

  // ---------------------------------------------------------------- handles

  handle(id: DocumentId): DocHandle<unknown> | undefined {
    return this.records.get(id)?.handle;
  }

  isLoaded(id: DocumentId): boolean {
    return this.records.get(id)?.handle !== undefined;
  }

  /** Whether a load of the document is under way. */
  isLoading(id: DocumentId): boolean {
    return this.records.get(id)?.loading !== undefined;
  }

  /** The loaded documents' ids. */
  loadedIds(): DocumentId[] {
    return [...this.lastUsed.keys()];
  }

  get loadedCount(): number {
    return this.lastUsed.size;
  }

  /**
   * Loads a known document from storage (once, however many ask at the same time), after the
   * chunk writes and unloads queued before it. Rejects with `deleted` once its deletion began.
   */
  load(id: DocumentId): Promise<DocHandle<unknown>> {
    const r = this.record(id);
    if (r.handle) return Promise.resolve(r.handle);
    r.loading ??= this.exclusive(id, async () => {
      if (r.handle) return r.handle;
      if (r.dropped) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
      const handle = await this.repo.find<unknown>(id);
      this.adopt(id, handle, false);
      return handle;
    }).finally(() => (r.loading = undefined));
    return r.loading;
  }

  /** A new document made on this device. */
  create<T>(initial: T): DocHandle<T> {
    const handle = this.repo.create<T>(initial);
    this.adopt(handle.documentId, handle as DocHandle<unknown>, true);
    return handle;
  }

  /** A document made on this device under a given id, from its saved bytes. */
  importDoc<T>(id: DocumentId, bytes: Uint8Array): DocHandle<T> {
    const handle = this.repo.import<T>(bytes, { docId: id });
    this.adopt(id, handle as DocHandle<unknown>, true);
    return handle;
  }

  private adopt(id: DocumentId, handle: DocHandle<unknown>, created: boolean): void {
    const r = this.record(id);
    if (r.handle) return;
    r.handle = handle;
    r.loose = undefined;
    handle.on("change", () => {
      if (this.remote !== id) this.opts.changed(id);
    });
    r.ownListeners = listenerCount(handle);
    this.touch(id);
    this.opts.adopted(id, handle, created);
  }

  /** Applies changes from another device to a loaded document (no `changed` for it); returns the document after. */
  applyRemote(id: DocumentId, data: Uint8Array): A.Doc<unknown> {
    const handle = this.records.get(id)?.handle;
    if (!handle) throw new Error(`document ${id} is not loaded`);
    this.remote = id;
    try {
      handle.update((d) => A.loadIncremental(d as A.Doc<unknown>, data));
    } finally {
      this.remote = undefined;
    }
    return handle.doc() as A.Doc<unknown>;
  }

  /**
   * Lets go of a loaded document's handle (the caller checked it is clean): it is no longer
   * loaded at once, and a later load waits until it is out of the Repo.
   */
  unload(id: DocumentId): Promise<void> {
    this.untrack(id);
    return this.exclusive(id, async () => {
      // Saving first makes any save the Repo still has scheduled for it a no-op.
      await flushReady(this.repo, [id]);
      await unloadHandle(this.repo, id);
    });
  }

  /**
   * Forgets a deleted document on this device: after what is queued for it (a load under way
   * included), its handle leaves the Repo and its chunks leave storage. No load starts after this
   * is called. The handle is unloaded rather than `repo.delete`d: deletion is a final state, and
   * the Repo's synchronizer, which starts on a handle asynchronously after it is created, fails
   * (and prints "Actor terminated") when it finds the handle already terminated.
   */
  drop(id: DocumentId): Promise<void> {
    const r = this.record(id);
    r.dropped = true;
    r.dirty = false;
    return this.exclusive(id, async () => {
      this.untrack(id);
      r.loose = undefined;
      await flushReady(this.repo, [id]);
      await unloadHandle(this.repo, id);
      await this.opts.storage.removeRange([id]);
    });
  }

  private untrack(id: DocumentId): void {
    const r = this.records.get(id);
    if (!r?.handle) return;
    r.handle.removeAllListeners("change");
    r.handle = undefined;
    this.lastUsed.delete(id);
  }

  /** Saves the loaded documents among `ids` now (before a commit that records their heads). */
  flush(ids: readonly DocumentId[]): Promise<void> {
    return flushReady(
      this.repo,
      ids.filter((id) => this.isLoaded(id)),
    );
  }

  /** Saves every loaded document; the engine is stopping. */
  shutdown(): Promise<void> {
    return flushReady(this.repo);
  }

  // ---------------------------------------------------------------- chunks of documents not loaded

  /**
   * Stores an entry of a document that is not loaded as a chunk of its own, where its next load
   * finds it (a load waits for the write), and merges the document's loose chunks into one once
   * there are `mergeChunksAfter` of them weighing a quarter of the last merge's chunk.
   */
  async storeEntry(id: DocumentId, kind: "snapshot" | "update", seq: number, data: Uint8Array): Promise<void> {
    await this.storeChunks(id, [{ kind, seq, data }]);
    const r = this.record(id);
    const l = (r.loose ??= { chunks: 0, bytes: 0, merged: 0 });
    l.chunks += 1;
    l.bytes += data.length;
    if (l.chunks < this.opts.mergeChunksAfter || l.bytes * 4 < l.merged) return;
    const merged = await this.mergeStored(id, seq);
    if (merged !== undefined) r.loose = { chunks: 0, bytes: 0, merged };
  }

  /** Stores entries of a document that is not loaded, each as its own chunk. */
  storeChunks(id: DocumentId, chunks: readonly { kind: "snapshot" | "update"; seq: number; data: Uint8Array }[]): Promise<void> {
    const r = this.record(id);
    return this.exclusive(id, async () => {
      // Deleted meanwhile: its chunks are gone, and must stay gone.
      if (r.dropped) return;
      for (const c of chunks) await this.opts.storage.save(chunkKey(id, c.kind, `relay-${c.seq}`), c.data);
    });
  }

  /**
   * Replaces a document's stored chunks by one holding all of them, through Automerge's core (no
   * JavaScript document is built). The merged chunk is written before the others are removed, so
   * a crash in between leaves only a duplicate, which loads the same. Returns its size, or
   * undefined when it was not done (loaded meanwhile, or the chunks miss history).
   */
  private mergeStored(id: DocumentId, seq: number): Promise<number | undefined> {
    return this.exclusive(id, async () => {
      const r = this.record(id);
      if (r.handle || r.loading || r.dropped) return undefined;
      const storage = this.opts.storage;
      const chunks = (await storage.loadRange([id])).filter((c) => c.data !== undefined && isDocChunk(c.key));
      if (chunks.length < 2) return undefined;
      const backend = A.getBackend(A.init<unknown>());
      try {
        for (const c of chunks) backend.loadIncremental(c.data!);
        if (backend.getMissingDeps([]).length > 0) return undefined;
        const data = backend.save();
        const key = chunkKey(id, "snapshot", `relay-merged-${seq}`);
        await storage.save(key, data);
        for (const c of chunks) if (c.key.join("/") !== key.join("/")) await storage.remove(c.key);
        this.opts.log(`merged the stored chunks of ${id} (not loaded) into one of ${data.length} B`);
        return data.length;
      } finally {
        backend.free();
      }
    });
  }

  // ---------------------------------------------------------------- local dirtiness

  /** A local change: returns whether the document still needs its pending mark stored. (Its use is noted by the caller, see `touch`.) */
  markDirty(id: DocumentId): boolean {
    const r = this.record(id);
    r.dirty = true;
    if (r.marked) return false;
    r.marked = true;
    return true;
  }

  isDirty(id: DocumentId): boolean {
    return this.records.get(id)?.dirty === true;
  }

  /** The documents changed here whose changes were not taken out yet. */
  dirtyIds(): DocumentId[] {
    return [...this.records].filter(([, r]) => r.dirty).map(([id]) => id);
  }

  /** The dirty documents (or `only`, if dirty), no longer dirty: their changes are being taken out. */
  takeDirty(only?: DocumentId): DocumentId[] {
    const ids = only ? (this.isDirty(only) ? [only] : []) : [...this.records].filter(([, r]) => r.dirty).map(([id]) => id);
    for (const id of ids) this.records.get(id)!.dirty = false;
    return ids;
  }

  /** Marks every loaded document dirty (after an unlock, their changes may never have been taken out). */
  dirtyAllLoaded(): void {
    for (const id of this.lastUsed.keys()) this.record(id).dirty = true;
  }

  isMarked(id: DocumentId): boolean {
    return this.records.get(id)?.marked === true;
  }

  /** The pending mark is stored (restored at start) or being cleared. */
  setMarked(id: DocumentId, marked: boolean): void {
    this.record(id).marked = marked;
  }

  // ---------------------------------------------------------------- last use

  /** This device used a loaded document now. */
  touch(id: DocumentId): void {
    if (!this.isLoaded(id)) return;
    this.lastUsed.delete(id);
    this.lastUsed.set(id, Date.now());
  }

  /** Loaded documents with when each was last used, least recent first. */
  byLastUse(): [DocumentId, number][] {
    return [...this.lastUsed];
  }

  /** Whether someone besides the Repo and the engine listens to the document's handle (a view). */
  isWatched(id: DocumentId): boolean {
    const r = this.records.get(id);
    return r?.handle !== undefined && listenerCount(r.handle) > r.ownListeners;
  }
}
