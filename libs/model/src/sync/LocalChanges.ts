import * as A from "@automerge/automerge";
import type { DocumentId } from "@automerge/automerge-repo";
import { streamIdFor, type VaultKeys } from "@botschat/crypto";
import type { DocSyncState, OutboxEntry, SyncTx } from "../storage/PeerStorage.js";
import { envelopeDoc } from "./envelopeDoc.js";
import type { LoadedDocuments } from "./LoadedDocuments.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { snapshotEntry, updateEntry, updateParts } from "./outboxEntries.js";
import { QuietDocuments } from "./QuietDocuments.js";
import { sameHeads } from "./sameHeads.js";
import { shouldSnapshot, type SnapshotMoment } from "./shouldSnapshot.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

/**
 * Meta key prefix marking a document changed locally whose changes may not be in the outbox yet
 * (set when it first becomes dirty, cleared by the commit that queues its update). On start, such
 * documents are loaded at once so a crash between the Repo's own save and that commit loses nothing.
 */
const META_PENDING = "pending:";
const MARK = new Uint8Array([1]);
/** The largest update a refused one is sent again in (well under the relay's default frame limit). */
const RESEND_PART_BYTES = 4 * 1024 * 1024;

/** What {@link LocalChanges} uses of the engine around it. */
export interface LocalChangesHost {
  readonly docs: LoadedDocuments;
  /** The keys, while unlocked: without them local changes wait. */
  keys(): VaultKeys | undefined;
  /** Whether the engine is caught up and connected (snapshots are written only then). */
  live(): boolean;
  /** The relay position applied so far (a snapshot's `covers`). */
  cursor(): number;
  /** Whether a document still waits for missing history (no snapshot may claim it, [S2]). */
  isIncomplete(id: DocumentId): boolean;
  /**
   * A document was loaded: the meta change that clears its stored-heads mark when entries were
   * stored for it while it was not loaded (its heads now are what the relay holds).
   */
  loadedStored(id: DocumentId, doc: A.Doc<unknown>): [string, null] | undefined;
  persist(tx: SyncTx, flushDocs?: DocumentId[]): Promise<void>;
  /** Whether appends of this device are on their way, awaiting the relay's ack. */
  sending(): boolean;
  /** A change of the document cannot go to the relay: the status says so. */
  unsendable(id: DocumentId, error: string): void;
  log(cat: SyncLogEntry["cat"], msg: string): void;
}

export interface LocalChangesOptions {
  /** The longest a change waits, gathered with others, while appends await their ack. */
  debounceMs: number;
  snapshotAfterUpdates: number;
  snapshotMinBytes: number;
  compactQuietMs: number;
  compactRatio: number;
}

/**
 * This device's changes on their way out: turned into one sealed update per document (or a
 * snapshot, when the document's policy asks for one, [S1]) and queued with the document's new
 * known heads in one commit; quiet open documents compacted; an entry the relay refused sent again
 * in parts it takes. A change goes at once (with the others of the same task) when nothing of this
 * device awaits an ack; otherwise changes gather until the acks come, or `debounceMs` passed.
 */
export class LocalChanges {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Changes wait for the appends in flight (`drained`), not for the next task. */
  private gathering = false;
  private readonly quiet: QuietDocuments;

  constructor(
    private readonly host: LocalChangesHost,
    private readonly opts: LocalChangesOptions,
  ) {
    this.quiet = new QuietDocuments(opts.compactQuietMs, (ids) => this.compactQuiet(ids));
  }

  /**
   * The documents marked pending in storage at start: changed before a crash, their changes maybe
   * never queued. They are loaded now, so their heads are compared with the known ones and what
   * is missing is queued; the marks of documents no longer here are cleared.
   */
  async restorePending(metaKeys: Iterable<string>): Promise<void> {
    const docs = this.host.docs;
    for (const key of metaKeys) {
      if (!key.startsWith(META_PENDING)) continue;
      const id = key.slice(META_PENDING.length) as DocumentId;
      docs.setMarked(id, true);
      if (!docs.has(id)) {
        void this.host.persist({ meta: [[key, null]] }).then(() => docs.setMarked(id, false));
        continue;
      }
      // A deletion from another device stopped halfway (its chunks removed, its state not yet
      // stored) leaves nothing to load: the relay sends that deletion again.
      await docs.load(id).catch((e: unknown) => this.host.log(LogCategory.warn, `${id} could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  /** A handle was registered: its document is tracked, its changes since its known heads go out. */
  adopted(id: DocumentId, doc: A.Doc<unknown>, created: boolean): void {
    const docs = this.host.docs;
    if (!docs.state(id)) {
      const keys = this.host.keys();
      // Without keys the stream id is unknown; it is filled in when the document is flushed.
      docs.setState(id, newDocSyncState(keys ? streamIdFor(keys, envelopeDoc(id)) : new Uint8Array(0)));
    }
    if (created) return this.changed(id);
    const st = docs.state(id)!;
    const clear = this.host.loadedStored(id, doc);
    if (clear) {
      // Entries were stored for it while it was not loaded, and a document that is not loaded has
      // no unsent changes: everything it holds now, the relay holds.
      st.knownHeads = A.getHeads(doc);
      void this.host.persist({ docs: [[id, st]], meta: [clear] });
    } else if (!sameHeads(st.knownHeads, A.getHeads(doc))) this.changed(id);
  }

  /**
   * A loaded document changed on this device: its changes go once the task that made them is
   * over, or, while appends await their ack, with the next changes once the acks came.
   */
  changed(id: DocumentId): void {
    if (this.host.docs.markDirty(id)) void this.host.persist({ meta: [[META_PENDING + id, MARK]] });
    if (this.timer !== undefined) return;
    this.gathering = this.host.sending();
    this.timer = setTimeout(() => this.flushNow(), this.gathering ? this.opts.debounceMs : 0);
  }

  /**
   * Changes that wait only for the task that made them to end go out now (one commit saves them
   * with their entry); answers the documents whose changes still gather for the acks in flight.
   */
  settle(): DocumentId[] {
    if (this.timer !== undefined && !this.gathering) this.flushNow();
    return this.host.docs.dirtyIds();
  }

  /** The relay acknowledged appends: changes gathered meanwhile go now, if none is left in flight. */
  drained(): void {
    if (this.gathering && !this.host.sending()) this.flushNow();
  }

  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.gathering = false;
    this.flush();
  }

  /**
   * Turns every dirty document's unsent changes (or only `only`'s) into one sealed entry each,
   * synchronously, and queues their persistence. Without keys nothing happens: the changes wait
   * for the unlock.
   */
  flush(only?: DocumentId): void {
    const docs = this.host.docs;
    if (!this.host.keys()) return;
    const entries: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    const unmark: DocumentId[] = [];
    for (const id of docs.takeDirty(only)) {
      if (docs.isMarked(id)) unmark.push(id);
      const entry = this.take(id);
      if (!entry) continue;
      // The writer of an update checks its document's snapshot policy; a snapshot holds the
      // update too, so it goes instead (a trailing update would depend on compacted history).
      entries.push(this.maybeSnapshot(id) ?? entry);
      states.push([id, docs.state(id)!]);
      this.active(id);
    }
    if (entries.length === 0 && unmark.length === 0) return;
    for (const id of unmark) docs.setMarked(id, false);
    const meta = unmark.map((id): [string, null] => [META_PENDING + id, null]);
    void this.host.persist(
      { ...(states.length > 0 ? { docs: states, outboxAdd: entries } : {}), ...(meta.length > 0 ? { meta } : {}) },
      states.map(([id]) => id as DocumentId),
    );
  }

  /** Queues the document's unsent changes now (before a remote entry applies to it). */
  takeOut(id: DocumentId): void {
    this.host.docs.takeDirty(id);
    const entry = this.take(id);
    if (entry) void this.host.persist({ docs: [[id, this.host.docs.state(id)!]], outboxAdd: [entry] }, [id]);
  }

  private take(id: DocumentId): OutboxEntry | undefined {
    const handle = this.host.docs.handle(id);
    const st = this.host.docs.state(id);
    const keys = this.host.keys();
    if (!handle || !st || st.deleted || !keys) return undefined;
    if (st.stream.length === 0) st.stream = streamIdFor(keys, envelopeDoc(id));
    return updateEntry(keys, id, st, handle.doc() as A.Doc<unknown>);
  }

  /** An open document changed now (here or from another device): its quiet compaction waits from here. */
  active(id: DocumentId): void {
    const st = this.host.docs.state(id);
    this.quiet.active(id, !!st && !st.deleted && st.updatesSinceSnapshot > 0);
  }

  /** Whether the document waits for its quiet compaction (so it stays loaded). */
  isWaiting(id: DocumentId): boolean {
    return this.quiet.isWaiting(id);
  }

  /** The document is gone from this device. */
  forget(id: DocumentId): void {
    this.quiet.forget(id);
  }

  /** Caught up: what this device holds open is as quiet as it gets for now. */
  compactLoaded(): void {
    this.compactQuiet(this.host.docs.loadedIds());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.gathering = false;
    this.quiet.stop();
  }

  /** Snapshots the given open documents that are quiet when the policy says so. */
  private compactQuiet(ids: DocumentId[]): void {
    const snaps: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    for (const id of ids) {
      // Changes still waiting for the debounce: not quiet; their flush marks it active again.
      if (this.host.docs.isDirty(id)) continue;
      const s = this.maybeSnapshot(id, "quiet");
      if (s) {
        snaps.push(s);
        states.push([id, this.host.docs.state(id)!]);
      }
    }
    if (snaps.length > 0) void this.host.persist({ docs: states, outboxAdd: snaps });
  }

  /** A snapshot of the document when the policy asks for one now ([S1], {@link shouldSnapshot}); only while live. */
  private maybeSnapshot(id: DocumentId, moment: SnapshotMoment = "writing"): OutboxEntry | undefined {
    const st = this.host.docs.state(id);
    const handle = this.host.docs.handle(id);
    const keys = this.host.keys();
    if (!st || st.deleted || !handle || !keys || !this.host.live()) return undefined;
    // [S2]: a snapshot claims every entry of its stream up to `covers` was applied.
    if (this.host.isIncomplete(id)) return undefined;
    const policy = { afterUpdates: this.opts.snapshotAfterUpdates, minBytes: this.opts.snapshotMinBytes, quietRatio: this.opts.compactRatio };
    if (!shouldSnapshot(st, policy, moment)) return undefined;
    const entry = snapshotEntry(keys, id, st, handle.doc() as A.Doc<unknown>, this.host.cursor());
    this.quiet.forget(id);
    this.host.log(LogCategory.info, `snapshot of ${id}: ${entry.body.length} bytes, covers ${entry.covers}`);
    return entry;
  }

  /**
   * An entry the relay refused (too large, or unreadable to it) may carry changes no other device
   * has (an update, or a snapshot sent in place of the updates it folds in): they are sent again
   * as the document's changes in parts of at most half the refused entry (and at most
   * {@link RESEND_PART_BYTES}), each its own update entry. Changes the relay holds already come
   * along too, and merge away. A single change larger than a part cannot go: the document's
   * changes stay on this device and the status says so.
   */
  async resendRefused(entry: OutboxEntry, code: string): Promise<void> {
    const keys = this.host.keys();
    const id = entry.doc as DocumentId;
    const st = this.host.docs.state(id);
    if (!keys || !st || st.deleted) return;
    const handle = await this.host.docs.load(id);
    const partBytes = Math.max(1024, Math.min(RESEND_PART_BYTES, Math.floor(entry.body.length / 2)));
    const entries = updateParts(keys, id, st, handle.doc() as A.Doc<unknown>, partBytes);
    if (!Array.isArray(entries)) {
      return this.host.unsendable(id, `A change in document ${id} is too large for the relay (${entries.tooLarge} bytes); it stays on this device.`);
    }
    this.host.log(
      LogCategory.warn,
      `the relay refused ${entry.kind === "update" ? "an update" : "a snapshot"} of ${id} (${code}): its changes go again in ${entries.length} parts`,
    );
    await this.host.persist({ docs: [[id, st]], outboxAdd: entries });
  }
}
