import * as A from "@automerge/automerge";
import { isValidDocumentId, type DocHandle, type DocumentId, type Repo } from "@automerge/automerge-repo";
import { openEntry, type VaultKeys } from "@botschat/crypto";
import type { EntryFrame } from "@botschat/protocol";
import type { DocSyncState, PeerStorage, SyncTx } from "../storage/PeerStorage.js";
import type { SyncStatus } from "./ConnectionState.js";
import { repoDoc } from "./envelopeDoc.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

/** Entries applied between two persists of the cursor while catching up. */
const APPLY_BATCH = 200;
/** What of a document's stored chunks automerge-repo loads (its sync states are left alone). */
const DOC_CHUNK_KINDS = new Set(["snapshot", "incremental"]);
/**
 * Meta key prefix marking a document whose entries were written straight into storage while it
 * was not loaded: its `knownHeads` are stale, and the heads of its stored chunks are what the
 * relay holds (a document that is not loaded has no unsent local changes). Set in the commit that
 * moves the cursor past such an entry; cleared when the document is next loaded.
 */
export const META_STORED_HEADS = "stored-heads:";
const MARK = new Uint8Array([1]);

/** automerge-repo's name for a stored chunk of a document (see its StorageSubsystem). */
const chunkKey = (id: DocumentId, kind: EntryFrame["kind"], seq: number): string[] => [id, kind === "snapshot" ? "snapshot" : "incremental", `relay-${seq}`];

/** What arrives from the relay, in order: entries, the end of the backlog, and acks of our own appends. */
export type Incoming = EntryFrame | { t: "synced"; head: number } | { t: "acked"; seq: number; id: string };

/** What an {@link EntryApplier} uses of the engine around it. */
export interface EntryApplierHost {
  readonly repo: Repo;
  readonly storage: PeerStorage;
  /** Every document's sync state, by id. */
  readonly docs: Map<DocumentId, DocSyncState>;
  /** The keys, while unlocked. */
  keys(): VaultKeys | undefined;
  /** Whether the current connection was welcomed (entries may be applied). */
  welcomed(): boolean;
  /** The loaded handle of a document, if any. */
  handle(id: DocumentId): DocHandle<unknown> | undefined;
  /** Loads a known document (or returns its handle). */
  load(id: DocumentId): Promise<DocHandle<unknown>>;
  /** Whether a load of the document is under way. */
  loading(id: DocumentId): boolean;
  /** Forgets a deleted document on this device. */
  dropLocal(id: DocumentId): Promise<void>;
  /** Queues the document's unsent local changes (before a remote entry applies to it). */
  takeOutLocal(id: DocumentId): void;
  persist(tx: SyncTx, flushDocs?: DocumentId[]): Promise<void>;
  /** The engine's status object; the applier moves its `progress`. */
  status(): SyncStatus;
  /** Emits the status after the applier moved it. */
  statusChanged(): void;
  /** The backlog is applied: the relay's `synced`. */
  synced(head: number): void;
  /** A document arrived, changed or was deleted by another device. */
  remote(id: DocumentId): void;
  /** Our append `id` takes its place: every entry stored before it is applied, none after it. */
  placed(id: string): void;
  /** Loose chunks a document that is not loaded may collect before they are merged into one. */
  readonly mergeChunksAfter: number;
  fatal(e: unknown): void;
  log(cat: SyncLogEntry["cat"], msg: string): void;
}

/**
 * Applies what the relay sends, in order: decrypts entries ([K5]: failures are logged and
 * skipped), applies them with `loadIncremental`, keeps documents whose history has not arrived
 * yet aside ([S2]), and persists the cursor only after the documents it covers are persisted.
 */
export class EntryApplier {
  /** The relay log position applied so far (in memory; see {@link EntryApplier.durableCursor}). */
  cursor = 0;
  /** The document a remote entry is being applied to: its `change` event is not a local change. */
  applyingRemote: DocumentId | undefined;
  private readonly incoming: Incoming[] = [];
  private applying = false;
  /**
   * Documents first seen through entries whose dependencies have not arrived yet (after
   * compaction, an update can come before the snapshot holding the history it builds on): kept
   * aside as plain documents until complete, with the seq of their first such entry.
   */
  private readonly orphans = new Map<DocumentId, Orphan>();
  /** Loaded documents with changes still waiting for missing dependencies, by the seq that left them so. */
  private readonly incomplete = new Map<DocumentId, number>();
  /** Documents whose stored chunks are ahead of their `knownHeads` (see {@link META_STORED_HEADS}). */
  private readonly storedHeads = new Set<DocumentId>();
  /** Documents whose {@link META_STORED_HEADS} mark the next commit writes (set or cleared, as `storedHeads` says then). */
  private readonly storedHeadsTouched = new Set<DocumentId>();
  /** Chunk writes under way, by document: a load waits for them. */
  private readonly writing = new Map<DocumentId, Promise<void>>();
  /**
   * Chunks stored for documents that are not loaded, since they were last loaded or merged in
   * this run: how many, their bytes, and the size of the chunk the last merge wrote.
   */
  private readonly loose = new Map<DocumentId, { chunks: number; bytes: number; merged: number }>();
  /** Callers of {@link EntryApplier.whenApplied} waiting for the queue to empty. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly host: EntryApplierHost) {}

  /** The documents marked in meta at start (keys of {@link META_STORED_HEADS}). */
  restoreStoredHeads(metaKeys: Iterable<string>): void {
    for (const key of metaKeys) if (key.startsWith(META_STORED_HEADS)) this.storedHeads.add(key.slice(META_STORED_HEADS.length) as DocumentId);
  }

  /** Resolves when no entry is being written into storage for the document (before loading it). */
  async whenWritten(id: DocumentId): Promise<void> {
    await this.writing.get(id);
  }

  /**
   * A document was loaded: if entries were stored for it while it was not, its heads now are what
   * the relay holds. Returns the meta change that clears its mark (to commit with its new state),
   * or undefined when it had none. A loaded document with missing dependencies counts as incomplete.
   */
  loaded(id: DocumentId, doc: A.Doc<unknown>): [string, null] | undefined {
    this.loose.delete(id);
    if (A.getMissingDeps(doc, []).length > 0 && !this.incomplete.has(id)) this.incomplete.set(id, this.cursor + 1);
    if (!this.storedHeads.delete(id)) return undefined;
    this.storedHeadsTouched.delete(id);
    return [META_STORED_HEADS + id, null];
  }

  /** A document this device deletes: the meta change that clears its mark, if it had one. */
  forgetStoredHeads(id: DocumentId): [string, null] | undefined {
    if (!this.storedHeads.delete(id)) return undefined;
    this.storedHeadsTouched.delete(id);
    return [META_STORED_HEADS + id, null];
  }

  /** Whether a loaded document still waits for missing history (no snapshot may claim it, [S2]). */
  isIncomplete(id: DocumentId): boolean {
    return this.incomplete.has(id);
  }

  /** A new connection: what the last one queued will be sent again. */
  reset(): void {
    this.incoming.length = 0;
    this.wakeIdle();
  }

  /** Resolves once every frame received so far is applied (or dropped with its connection). */
  whenApplied(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.applying && this.incoming.length === 0;
  }

  private wakeIdle(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Queues a frame and applies what can be applied. */
  push(f: Incoming): void {
    this.incoming.push(f);
    this.pump();
  }

  /** Applies queued entries in order; one pump at a time. */
  pump(): void {
    if (this.applying || !this.host.welcomed() || !this.host.keys()) return;
    this.applying = true;
    void this.applyQueued()
      .catch((e: unknown) => this.host.fatal(e))
      .finally(() => {
        this.applying = false;
        if (this.incoming.length > 0 && this.host.welcomed()) this.pump();
        else this.wakeIdle();
      });
  }

  /**
   * The cursor to persist: entries not yet fully applied (changes waiting for missing
   * dependencies live only in memory) are received again after a restart.
   */
  durableCursor(): number {
    let c = this.cursor;
    for (const o of this.orphans.values()) c = Math.min(c, o.since - 1);
    for (const seq of this.incomplete.values()) c = Math.min(c, seq - 1);
    return c;
  }

  /** Stores chunks of a document that is not loaded; a load of it waits until they are written. */
  private write(id: DocumentId, ...chunks: [string[], Uint8Array][]): Promise<void> {
    return this.storing(id, async () => {
      for (const [key, data] of chunks) await this.host.storage.save(key, data);
    });
  }

  /** Runs `work` on a document's stored chunks; a load (or removal) of the document waits for it. */
  private async storing(id: DocumentId, work: () => Promise<void>): Promise<void> {
    const w = work();
    this.writing.set(id, w);
    try {
      await w;
    } finally {
      if (this.writing.get(id) === w) this.writing.delete(id);
    }
  }

  /**
   * Counts a chunk stored for a document that is not loaded, and merges its loose chunks into one
   * once there are `mergeChunksAfter` of them weighing a quarter of the last merge's chunk (so a
   * document that nobody opens neither collects a chunk per entry nor is rewritten for each one).
   */
  private async countLoose(id: DocumentId, seq: number, bytes: number): Promise<void> {
    const l = this.loose.get(id) ?? { chunks: 0, bytes: 0, merged: 0 };
    l.chunks += 1;
    l.bytes += bytes;
    this.loose.set(id, l);
    if (l.chunks < this.host.mergeChunksAfter || l.bytes * 4 < l.merged) return;
    const merged = await this.mergeStored(id, seq);
    if (merged !== undefined) this.loose.set(id, { chunks: 0, bytes: 0, merged });
  }

  /**
   * Replaces a document's stored chunks by one holding all of them, through Automerge's core
   * (no JavaScript document is built). The merged chunk is written before the others are removed,
   * so a crash in between leaves only a duplicate, which loads the same. Returns its size, or
   * undefined when the chunks miss history (they are then left as they are).
   */
  private async mergeStored(id: DocumentId, seq: number): Promise<number | undefined> {
    // A load under way may be reading the chunks right now (a later one waits for the merge).
    if (this.host.handle(id) || this.host.loading(id)) return undefined;
    let size: number | undefined;
    await this.storing(id, async () => {
      const storage = this.host.storage;
      const chunks = (await storage.loadRange([id])).filter((c) => c.data !== undefined && DOC_CHUNK_KINDS.has(c.key[1] ?? ""));
      if (chunks.length < 2) return;
      const backend = A.getBackend(A.init<unknown>());
      try {
        for (const c of chunks) backend.loadIncremental(c.data!);
        if (backend.getMissingDeps([]).length > 0) return;
        const data = backend.save();
        const key = [id, "snapshot", `relay-merged-${seq}`];
        await storage.save(key, data);
        for (const c of chunks) if (c.key.join("/") !== key.join("/")) await storage.remove(c.key);
        size = data.length;
      } finally {
        backend.free();
      }
    });
    if (size !== undefined) this.host.log(LogCategory.info, `merged the stored chunks of ${id} (not loaded) into one of ${size} B`);
    return size;
  }

  private async applyQueued(): Promise<void> {
    const keys = this.host.keys()!;
    const touched = new Map<DocumentId, DocSyncState>();
    let applied = 0;
    const save = async () => {
      if (touched.size === 0 && applied === 0) return;
      // Each document's state as it is now (a tombstone written meanwhile wins over the state the entry touched).
      const docs = [...touched.keys()].map((id): [DocumentId, DocSyncState] => [id, this.host.docs.get(id) ?? touched.get(id)!]);
      touched.clear();
      applied = 0;
      const meta = [...this.storedHeadsTouched].map((id): [string, Uint8Array | null] => [META_STORED_HEADS + id, this.storedHeads.has(id) ? MARK : null]);
      this.storedHeadsTouched.clear();
      await this.host.persist(
        { cursor: this.durableCursor(), docs, ...(meta.length > 0 ? { meta } : {}) },
        docs.map(([id]) => id),
      );
    };
    while (this.incoming.length > 0 && this.host.welcomed()) {
      const f = this.incoming.shift()!;
      if (f.t === "synced") {
        await save();
        this.host.synced(f.head);
        continue;
      }
      if (f.t === "acked") {
        if (f.seq > this.cursor) {
          this.cursor = f.seq;
          applied += 1;
        }
        this.host.placed(f.id);
        continue;
      }
      await this.applyEntry(keys, f, touched);
      this.cursor = Math.max(this.cursor, f.seq);
      applied += 1;
      const status = this.host.status();
      const p = status.progress;
      status.progress = { applied: p.applied + 1, head: Math.max(p.head, f.seq), cursor: this.cursor };
      if (applied >= APPLY_BATCH) {
        await save();
        this.host.statusChanged();
      }
    }
    await save();
    this.host.statusChanged();
  }

  private async applyEntry(keys: VaultKeys, f: EntryFrame, touched: Map<DocumentId, DocSyncState>): Promise<void> {
    const host = this.host;
    const r = openEntry(keys, { stream: f.stream, kind: f.kind, body: f.body });
    if (!r.ok) {
      host.log(LogCategory.warn, `rejected entry ${f.seq}: ${r.reason}`);
      return;
    }
    const id = repoDoc(r.doc);
    if (!isValidDocumentId(id)) {
      // Only a document this device could open is stored (the envelope is authentic, the id is not one).
      host.log(LogCategory.warn, `rejected entry ${f.seq}: not a document id`);
      return;
    }
    let st = host.docs.get(id);
    if (st?.deleted) return;
    if (r.deleted) {
      this.orphans.get(id)?.backend.free();
      this.orphans.delete(id);
      this.incomplete.delete(id);
      if (this.storedHeads.delete(id)) this.storedHeadsTouched.add(id);
      await host.dropLocal(id);
      st = { ...(st ?? newDocSyncState(f.stream)), deleted: true, lastSeq: f.seq, knownHeads: [] };
      host.docs.set(id, st);
      touched.set(id, st);
      host.log(LogCategory.info, `document ${id} was deleted`);
      host.remote(id);
      return;
    }
    let handle = host.handle(id);
    if (!handle && st && host.loading(id)) handle = await host.load(id);
    if (!handle) {
      if (st) {
        // Known but not loaded: nobody has asked for it, so its entry goes straight into storage,
        // where its next load finds it; no document is built now.
        await this.write(id, [chunkKey(id, f.kind, f.seq), r.data]);
        st = host.docs.get(id);
        // Deleted on this device while the entry was being stored: its chunks go with it.
        if (!st || st.deleted) return;
        await this.countLoose(id, f.seq, r.data.length);
        if (!this.storedHeads.has(id)) {
          this.storedHeads.add(id);
          this.storedHeadsTouched.add(id);
        }
        countEntry(st, f, f.body.length);
        touched.set(id, st);
        host.remote(id);
        return;
      }
      // A document this device does not have yet: its changes wait aside (in Automerge's core
      // only, no JavaScript document is built) until every dependency has arrived.
      const orphan = this.orphans.get(id) ?? { backend: A.getBackend(A.init<unknown>()), since: f.seq, chunks: [] };
      orphan.backend.loadIncremental(r.data);
      orphan.chunks.push([chunkKey(id, f.kind, f.seq), r.data]);
      if (orphan.backend.getHeads().length === 0 || orphan.backend.getMissingDeps([]).length > 0) {
        this.orphans.set(id, orphan);
        host.log(LogCategory.info, `document ${id} waits for earlier history (entry ${f.seq})`);
        return;
      }
      this.orphans.delete(id);
      const heads = orphan.backend.getHeads();
      orphan.backend.free();
      await this.write(id, ...orphan.chunks);
      if (host.docs.get(id)?.deleted) return;
      st = newDocSyncState(f.stream);
      st.knownHeads = heads;
      host.docs.set(id, st);
      countEntry(st, f, r.data.length);
      touched.set(id, st);
      host.remote(id);
      return;
    }
    st = host.docs.get(id)!;
    // Our own unsent changes go out first, so that afterwards every head is known to the relay.
    host.takeOutLocal(id);
    this.applyingRemote = id;
    try {
      handle.update((d) => A.loadIncremental(d as A.Doc<unknown>, r.data));
    } finally {
      this.applyingRemote = undefined;
    }
    const doc = handle.doc() as A.Doc<unknown>;
    st.knownHeads = A.getHeads(doc);
    if (A.getMissingDeps(doc, []).length > 0) {
      if (!this.incomplete.has(id)) this.incomplete.set(id, f.seq);
    } else this.incomplete.delete(id);
    countEntry(st, f, f.body.length);
    touched.set(id, st);
    host.remote(id);
  }
}

/** Changes of a document not on this device yet, waiting for the history they build on. */
interface Orphan {
  backend: ReturnType<typeof A.getBackend>;
  /** The seq of the first entry kept aside. */
  since: number;
  /** The entries' data, as the chunks to store once the document is complete. */
  chunks: [string[], Uint8Array][];
}

/** Counts an applied entry in its document's snapshot bookkeeping ([S1]). */
function countEntry(st: DocSyncState, f: EntryFrame, bytes: number): void {
  st.lastSeq = Math.max(st.lastSeq, f.seq);
  if (f.kind === "snapshot") {
    st.snapshotBytes = bytes;
    st.updatesSinceSnapshot = 0;
    st.updateBytesSinceSnapshot = 0;
    st.ownUpdateBytes = 0;
  } else {
    st.updatesSinceSnapshot += 1;
    st.updateBytesSinceSnapshot += bytes;
  }
}
