import * as A from "@automerge/automerge";
import { isValidDocumentId, type DocumentId } from "@automerge/automerge-repo";
import { openEntry, type VaultKeys } from "@botschat/crypto";
import type { EntryFrame } from "@botschat/protocol";
import type { DocSyncState, SyncTx } from "../storage/PeerStorage.js";
import { repoDoc } from "./envelopeDoc.js";
import type { LoadedDocuments } from "./LoadedDocuments.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

/** Entries applied between two persists of the cursor while catching up. */
const APPLY_BATCH = 200;
/**
 * Meta key prefix marking a document whose entries were written straight into storage while it
 * was not loaded: its `knownHeads` are stale, and the heads of its stored chunks are what the
 * relay holds (a document that is not loaded has no unsent local changes). Stored before the
 * first such chunk is written; cleared when the document is next loaded.
 */
export const META_STORED_HEADS = "stored-heads:";
const MARK = new Uint8Array([1]);

/** What arrives from the relay, in order: entries, the end of the backlog, and acks of our own appends. */
export type Incoming = EntryFrame | { t: "synced"; head: number } | { t: "acked"; seq: number; id: string };

/** What an {@link EntryApplier} uses of the engine around it. */
export interface EntryApplierHost {
  /** The documents of this device. */
  readonly docs: LoadedDocuments;
  /** The keys, while unlocked. */
  keys(): VaultKeys | undefined;
  /** Whether the current connection was welcomed (entries may be applied). */
  welcomed(): boolean;
  /** Queues the document's unsent local changes (before a remote entry applies to it). */
  takeOutLocal(id: DocumentId): void;
  persist(tx: SyncTx, flushDocs?: DocumentId[]): Promise<void>;
  /** `applied` more entries were applied, up to `seq`: the cursor moved. */
  progressed(applied: number, seq: number): void;
  /** The backlog is applied: the relay's `synced`. */
  synced(head: number): void;
  /** A document arrived, changed or was deleted by another device. */
  remote(id: DocumentId): void;
  /** Our append `id` takes its place: every entry stored before it is applied, none after it. */
  placed(id: string): void;
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
  /** Callers of {@link EntryApplier.whenApplied} waiting for the queue to empty. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly host: EntryApplierHost) {}

  /** The documents marked in meta at start (keys of {@link META_STORED_HEADS}). */
  restoreStoredHeads(metaKeys: Iterable<string>): void {
    for (const key of metaKeys) if (key.startsWith(META_STORED_HEADS)) this.storedHeads.add(key.slice(META_STORED_HEADS.length) as DocumentId);
  }

  /**
   * A document was loaded: if entries were stored for it while it was not, its heads now are what
   * the relay holds. Returns the meta change that clears its mark (to commit with its new state),
   * or undefined when it had none. A loaded document with missing dependencies counts as incomplete.
   */
  loaded(id: DocumentId, doc: A.Doc<unknown>): [string, null] | undefined {
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

  private async applyQueued(): Promise<void> {
    const keys = this.host.keys()!;
    const touched = new Map<DocumentId, DocSyncState>();
    let applied = 0;
    /** Entries applied since progress was last reported, and the last one's seq. */
    let progress = 0;
    let lastSeq = this.cursor;
    const report = () => {
      this.host.progressed(progress, lastSeq);
      progress = 0;
    };
    const save = async () => {
      if (touched.size === 0 && applied === 0) return;
      // Each document's state as it is now (a tombstone written meanwhile wins over the state the entry touched).
      const docs = [...touched.keys()].map((id): [DocumentId, DocSyncState] => [id, this.host.docs.state(id) ?? touched.get(id)!]);
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
      progress += 1;
      lastSeq = Math.max(lastSeq, f.seq);
      if (applied >= APPLY_BATCH) {
        await save();
        report();
      }
    }
    await save();
    report();
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
    const docs = host.docs;
    let st = docs.state(id);
    if (st?.deleted) return;
    if (r.deleted) {
      this.orphans.get(id)?.backend.free();
      this.orphans.delete(id);
      this.incomplete.delete(id);
      if (this.storedHeads.delete(id)) this.storedHeadsTouched.add(id);
      await docs.drop(id);
      st = { ...(st ?? newDocSyncState(f.stream)), deleted: true, lastSeq: f.seq, knownHeads: [] };
      docs.setState(id, st);
      touched.set(id, st);
      host.log(LogCategory.info, `document ${id} was deleted`);
      host.remote(id);
      return;
    }
    // A document known but not loaded may get its entry straight into storage (below). The mark
    // that says its stored heads are the relay's is on disk before such a chunk: a crash after the
    // chunk must not leave what looks like a change of this device (it would be appended again).
    if (st && !docs.isLoaded(id) && !this.storedHeads.has(id)) {
      await host.persist({ meta: [[META_STORED_HEADS + id, MARK]] });
      this.storedHeads.add(id);
    }
    let loaded = docs.isLoaded(id);
    // A load under way would miss a chunk written now: the entry waits for it and applies to its handle.
    if (!loaded && st && docs.isLoading(id))
      loaded =
        (await docs.load(id).then(
          () => true,
          () => false,
        )) && docs.isLoaded(id);
    if (!loaded) {
      if (st) {
        // Known but not loaded: nobody has asked for it, so its entry goes straight into storage,
        // where its next load finds it; no document is built now (its mark is stored, above).
        await docs.storeEntry(id, f.kind, f.seq, r.data);
        st = docs.state(id);
        // Deleted on this device while the entry was being stored: its chunks go with it.
        if (!st || st.deleted) return;
        countEntry(st, f, f.body.length);
        touched.set(id, st);
        host.remote(id);
        return;
      }
      // A document this device does not have yet: its changes wait aside (in Automerge's core
      // only, no JavaScript document is built) until every dependency has arrived.
      const orphan = this.orphans.get(id) ?? { backend: A.getBackend(A.init<unknown>()), since: f.seq, chunks: [] };
      orphan.backend.loadIncremental(r.data);
      orphan.chunks.push({ kind: f.kind, seq: f.seq, data: r.data });
      if (orphan.backend.getHeads().length === 0 || orphan.backend.getMissingDeps([]).length > 0) {
        this.orphans.set(id, orphan);
        host.log(LogCategory.info, `document ${id} waits for earlier history (entry ${f.seq})`);
        return;
      }
      this.orphans.delete(id);
      const heads = orphan.backend.getHeads();
      orphan.backend.free();
      await docs.storeChunks(id, orphan.chunks);
      if (docs.state(id)?.deleted) return;
      st = newDocSyncState(f.stream);
      st.knownHeads = heads;
      docs.setState(id, st);
      countEntry(st, f, r.data.length);
      touched.set(id, st);
      host.remote(id);
      return;
    }
    st = docs.state(id)!;
    // Our own unsent changes go out first, so that afterwards every head is known to the relay.
    host.takeOutLocal(id);
    const doc = docs.applyRemote(id, r.data);
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
  /** The entries, to store as chunks once the document is complete. */
  chunks: { kind: EntryFrame["kind"]; seq: number; data: Uint8Array }[];
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
