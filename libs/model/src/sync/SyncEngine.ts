import * as A from "@automerge/automerge";
import type { DocHandle, DocumentId, Repo } from "@automerge/automerge-repo";
import { EventEmitter } from "eventemitter3";
import { streamIdFor, type EphPayload } from "@botschat/crypto";
import { CloseCode } from "@botschat/protocol";
import type { DocStore } from "../docs/DocStore.js";
import type { DocSyncState } from "../storage/PeerStorage.js";
import { ConnectionState, LockReason, type SyncStatus } from "./ConnectionState.js";
import { initialChange } from "../docs/deterministicDoc.js";
import { OpError, OpErrorCode } from "../ops/OpError.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";
import { Commits } from "./Commits.js";
import { Outbox } from "./Outbox.js";
import { EntryApplier } from "./EntryApplier.js";
import { envelopeDoc } from "./envelopeDoc.js";
import { Eviction } from "./Eviction.js";
import { LoadedDocuments } from "./LoadedDocuments.js";
import { LocalChanges } from "./LocalChanges.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { tombstoneEntry } from "./outboxEntries.js";
import { RelaySession } from "./RelaySession.js";
import { sameHeads } from "./sameHeads.js";
import { withDefaults, type EngineEvents, type ResolvedEngineOptions, type SyncEngineOptions } from "./SyncEngineOptions.js";
import { VaultKeyring } from "./VaultKeyring.js";

export type { EphEvent, RemoteInfo, SyncEngineOptions } from "./SyncEngineOptions.js";

const META_VAULT = "vault";
/**
 * Keeps this device's documents in sync with the user's other devices through the relay; the
 * coordinator of its parts (docs/architecture.md, Packages):
 *
 * - {@link LoadedDocuments}: one record per document (sync state, handle, loads and unloads,
 *   dirtiness, last use), the one owner of the automerge-repo `Repo`;
 * - {@link LocalChanges}: local changes, sent at once when nothing awaits an ack (else gathered
 *   until the acks come), sealed as one `update` per document (or a snapshot, [S1]) and queued
 *   with the document's new known heads in one
 *   {@link Commits commit}; appended with a stable id until acked ([A3]), across restarts;
 * - {@link RelaySession}: the connection, `hello`/`welcome` and the vault's keys, frames in and
 *   out; {@link EntryApplier}: entries from the relay applied in order, the cursor after them;
 * - {@link Eviction}: the bound on loaded documents. Deleting a document appends a tombstone ([S4]).
 *
 * @example
 * const engine = new SyncEngine({ relayUrl, token, storage, socket: (u) => new WebSocket(u) });
 * await engine.start();
 * await engine.unlock(passphrase);
 */
export class SyncEngine extends EventEmitter<EngineEvents> implements DocStore {
  private readonly opts: ResolvedEngineOptions;
  private readonly keyring: VaultKeyring;
  private readonly session: RelaySession;
  private readonly applier: EntryApplier;
  private readonly docs: LoadedDocuments;
  private readonly local: LocalChanges;
  private readonly eviction: Eviction;

  private status: SyncStatus = { state: ConnectionState.offline, progress: { applied: 0, head: 0, cursor: 0 }, pending: 0 };
  private readonly outbox: Outbox;

  private readonly commits: Commits;
  private stopped = false;

  constructor(options: SyncEngineOptions) {
    super();
    this.opts = withDefaults(options);
    this.outbox = new Outbox(this.opts.maxInFlight);
    this.docs = new LoadedDocuments({
      storage: options.storage,
      mergeChunksAfter: this.opts.mergeStoredChunksAfter,
      changed: (id) => this.changed(id),
      adopted: (id, handle, created) => {
        this.eviction.touch(id);
        this.local.adopted(id, handle.doc() as A.Doc<unknown>, created);
      },
      log: (msg) => this.log(LogCategory.info, msg),
    });
    this.commits = new Commits({
      storage: options.storage,
      docs: this.docs,
      outbox: this.outbox,
      added: () => this.session.sendOutbox(),
      pending: (pending) => this.setStatus({ pending }),
      failed: (what, e) => this.log(LogCategory.error, `${what} failed: ${e instanceof Error ? e.message : String(e)}`),
    });
    this.local = new LocalChanges(
      {
        docs: this.docs,
        keys: () => this.keyring.keys,
        live: () => this.status.state === ConnectionState.live,
        cursor: () => this.applier.cursor,
        isIncomplete: (id) => this.applier.isIncomplete(id),
        loadedStored: (id, doc) => this.applier.loaded(id, doc),
        persist: (tx, flushDocs) => this.commits.commit(tx, flushDocs),
        sending: () => this.outbox.sending,
        unsendable: (id, error) => {
          this.log(LogCategory.error, error);
          const unsent = this.status.unsent ?? [];
          this.setStatus({ error, unsent: unsent.includes(id) ? unsent : [...unsent, id] });
        },
        log: (cat, msg) => this.log(cat, msg),
      },
      this.opts,
    );
    this.eviction = new Eviction(this.docs, {
      maxLoaded: this.opts.maxLoadedDocuments,
      idleMs: this.opts.evictAfterIdleMs,
      busy: (id) => this.local.isWaiting(id),
      release: (id) => this.release(id),
      log: (msg) => this.log(LogCategory.info, msg),
    });
    this.keyring = new VaultKeyring(options, {
      locked: (lock) => this.setStatus({ state: ConnectionState.locked, lock }),
      storeVault: (vault) => this.commits.commit({ meta: [[META_VAULT, vault]] }),
      log: (cat, msg) => this.log(cat, msg),
    });
    this.applier = new EntryApplier({
      docs: this.docs,
      keys: () => this.keyring.keys,
      welcomed: () => this.session.welcomed,
      takeOutLocal: (id) => this.local.takeOut(id),
      persist: (tx, flushDocs) => this.commits.commit(tx, flushDocs),
      progressed: (applied, seq) => {
        const p = this.status.progress;
        this.setStatus({ progress: { applied: p.applied + applied, head: Math.max(p.head, seq), cursor: this.applier.cursor } });
      },
      synced: (head) => this.onSynced(head),
      remote: (id) => {
        const loaded = this.docs.isLoaded(id);
        if (loaded) this.local.active(id);
        this.emit("remote", id, { loaded, deleted: this.docs.state(id)?.deleted === true });
      },
      placed: (id) => this.session.placed(id),
      fatal: (e) => this.session.fatal(e),
      log: (cat, msg) => this.log(cat, msg),
    });
    this.session = new RelaySession(options, {
      keyring: this.keyring,
      applier: this.applier,
      outbox: this.outbox,
      status: () => this.status,
      setStatus: (patch) => this.setStatus(patch),
      unlocked: () => {
        this.docs.dirtyAllLoaded();
        this.local.flush();
      },
      until: (cond) => this.until(cond),
      state: (id) => this.docs.state(id),
      acked: () => this.local.drained(),
      persist: (tx) => this.commits.commit(tx),
      refused: (entry, code) =>
        void this.local
          .resendRefused(entry, code)
          .catch((e: unknown) => this.log(LogCategory.error, `resending the changes of ${entry.doc} failed: ${e instanceof Error ? e.message : String(e)}`)),
      eph: (event) => this.emit("eph", event),
      peers: (peers) => this.emit("peers", peers),
      log: (cat, msg) => this.log(cat, msg),
    });
  }

  private get connection() {
    return this.session.connection;
  }

  /** The automerge-repo `Repo` holding the loaded documents (tests look into it). */
  get repo(): Repo {
    return this.docs.repo;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads the local copy and connects. Documents are readable before the relay answers. */
  async start(): Promise<void> {
    this.stopped = false;
    this.eviction.start();
    const snap = await this.opts.storage.loadSync();
    this.applier.cursor = snap.cursor;
    for (const [id, st] of snap.docs) {
      // A state stored before devices counted their own updates: as before, its updates count as ours.
      st.ownUpdateBytes ??= st.updateBytesSinceSnapshot;
      this.docs.setState(id as DocumentId, st);
    }
    this.outbox.add(snap.outbox);
    this.keyring.restore(snap.meta.get(META_VAULT));
    this.applier.restoreStoredHeads(snap.meta.keys());
    this.connection.start();
    this.setStatus({ pending: this.outbox.size, progress: { applied: 0, head: snap.cursor, cursor: snap.cursor } });
    this.log(LogCategory.info, `local copy loaded: ${this.docs.stateCount} documents, cursor ${snap.cursor}, ${this.outbox.size} queued`);
    await this.local.restorePending(snap.meta.keys());
    if (!this.keyring.keys) this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
    this.connection.connect();
  }

  /**
   * Gives the passphrase. With a known vault it is checked at once (offline too); otherwise on the
   * next `welcome`. Resolves with the resulting status: `locked` with `wrong-passphrase` means
   * nothing was written.
   */
  unlock(passphrase: string): Promise<SyncStatus> {
    return this.session.unlock(passphrase);
  }

  /** Forgets the keys and passphrase (the UI's "Lock"); local documents stay. */
  lock(): void {
    this.session.lock();
  }

  /** Flushes pending work and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.stop();
    this.local.stop();
    this.eviction.stop();
    this.local.flush();
    await this.commits.idle();
    this.session.stop();
    this.connection.close(CloseCode.normal, "stopped");
    await this.docs.shutdown();
  }

  /**
   * The relay's id of the token this engine connects with (`welcome.device`; for an agent, its
   * pairing token's id), known once the relay has welcomed it.
   */
  get tokenId(): string | undefined {
    return this.session.tokenId;
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Resolves once the engine has caught up with the relay (`synced`) on the current connection. */
  whenSynced(): Promise<void> {
    return this.session.whenSynced();
  }

  /**
   * Resolves once the changes this device made so far are in its local storage (written and
   * synced: files fsynced, the IndexedDB transaction complete), whether or not they went to the
   * relay yet: what an operation a person sees waits for before it says "sent". A crash after it
   * resolves loses none of them; the next start sends what the relay has not acknowledged.
   */
  saved(): Promise<void> {
    // Changes on their way out are saved by the commit that queues them; those gathering for the
    // acks in flight are saved on their own, and go to the relay with the next append as before.
    const gathering = this.local.settle();
    return this.commits.after(() => this.docs.flush(gathering), "saving local changes").then(() => undefined);
  }

  /**
   * Resolves once every entry received from the relay so far is applied and stored, and every
   * queued local change is persisted and acked by the relay.
   */
  async whenIdle(): Promise<void> {
    await this.applier.whenApplied();
    this.local.flush();
    await this.commits.idle();
    await this.until(() => this.outbox.size === 0);
  }

  /**
   * Sends the document's queued local changes now and, once the relay has stored them, calls
   * `decide` at their place in the relay's order: every entry the relay stored before them is
   * applied here, none stored after them is (the relay acks in seq order, docs/protocol.md N16).
   * So of several devices that each change a document and ask "was I first?", exactly one finds
   * no other's change. Resolves with `decide`'s answer; undefined when the document had no change
   * waiting to go, or the engine stopped first. It waits as long as the relay takes to ack (across
   * reconnects): callers that must not wait race it against a timeout.
   */
  async afterAck<T>(id: DocumentId, decide: () => T): Promise<T | undefined> {
    this.local.flush(id);
    await this.commits.idle();
    const entry = this.outbox.latestFor(id);
    if (!entry || this.stopped) return undefined;
    return this.session.whenPlaced(entry.id, decide);
  }

  /** Reconnects now (the browser came back online). */
  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  /** Drops the connection as if the network went away (tests, "go offline"). */
  disconnect(): void {
    this.connection.close(4000, "disconnect");
  }

  // ---------------------------------------------------------------- DocStore

  async find<T>(id: DocumentId): Promise<DocHandle<T>> {
    const cached = this.docs.handle(id);
    if (cached) {
      this.eviction.touch(id);
      return cached as DocHandle<T>;
    }
    let st = this.docs.state(id);
    if (!st && !this.session.isSynced && this.status.state !== ConnectionState.offline) {
      await this.whenSynced();
      st = this.docs.state(id);
    }
    if (st?.deleted) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    if (!st) throw new OpError(OpErrorCode.notFound, `document ${id} is not available`);
    return (await this.docs.load(id)) as DocHandle<T>;
  }

  create<T>(initial: T): DocHandle<T> {
    return this.docs.create<T>(initial);
  }

  async ensure<T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>> {
    const st = this.docs.state(id);
    // A deleted derived document stays deleted: creating it again would bring it back to life here.
    if (st?.deleted) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    if (!st) return this.docs.importDoc<T>(id, initialChange(initial() as object));
    const handle = await this.docs.load(id);
    this.eviction.touch(id);
    return handle as DocHandle<T>;
  }

  async tombstone(id: DocumentId): Promise<void> {
    const keys = this.keyring.keys;
    const st = this.docs.state(id) ?? (keys ? newDocSyncState(streamIdFor(keys, envelopeDoc(id))) : undefined);
    if (!st || st.deleted) return;
    await this.docs.drop(id);
    // Deleted by another device meanwhile: nothing is left to say.
    if (this.docs.state(id)?.deleted) return;
    this.local.forget(id);
    const tomb: DocSyncState = { ...st, deleted: true, knownHeads: [], updatesSinceSnapshot: 0, updateBytesSinceSnapshot: 0 };
    this.docs.setState(id, tomb);
    const meta = this.applier.forgetStoredHeads(id);
    const entry = keys ? tombstoneEntry(keys, id, st, this.applier.cursor) : undefined;
    await this.commits.commit({ docs: [[id, tomb]], ...(entry ? { outboxAdd: [entry] } : {}), ...(meta ? { meta: [meta] } : {}) });
  }

  /**
   * Lets go of a document's handle to free its memory: the caller promises not to use the handle
   * any more (a later `find` loads the document again). Only a clean document is let go of — no
   * unsent local changes, no history still missing; resolves with whether it was. Entries for it
   * then go straight to storage, as for any document that is not loaded.
   */
  release(id: DocumentId): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const handle = this.docs.handle(id);
      const st = this.docs.state(id);
      if (!handle || !st || this.docs.isLoading(id)) return false;
      if (this.docs.isDirty(id) || this.docs.isMarked(id) || this.applier.isIncomplete(id)) return false;
      if (!sameHeads(st.knownHeads, A.getHeads(handle.doc() as A.Doc<unknown>))) return false;
      await this.docs.unload(id);
      return true;
    };
    // After every queued commit, so the chunks of what was queued for it are written first.
    return this.commits.after(run, `releasing ${id}`).then((released) => released === true);
  }

  /** Whether a document exists locally (not deleted). */
  has(id: DocumentId): boolean {
    return this.docs.has(id);
  }

  /** Ids of every document this device holds. */
  documentIds(): DocumentId[] {
    return this.docs.ids();
  }

  // ---------------------------------------------------------------- eph

  /** Sends an encrypted ephemeral frame about a document to the user's other sockets ([K6]). */
  sendEph(doc: DocumentId, payload: Omit<EphPayload, "doc">): boolean {
    return this.session.sendEph(doc, payload);
  }

  private changed(id: DocumentId): void {
    this.eviction.touch(id);
    this.local.changed(id);
  }

  private onSynced(head: number): void {
    this.setStatus({ state: ConnectionState.live, error: undefined, progress: { ...this.status.progress, head } });
    this.log(LogCategory.ws, `synced at ${this.applier.cursor}`);
    this.session.caughtUp();
    this.local.flush();
    this.local.compactLoaded();
  }

  /** Whether a document is loaded on this device (an open handle that follows its changes). */
  isLoaded(id: DocumentId): boolean {
    return this.docs.isLoaded(id);
  }

  // ---------------------------------------------------------------- status and log

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const k of Object.keys(patch) as (keyof SyncStatus)[]) if (patch[k] === undefined) delete this.status[k];
    this.emit("status", this.status);
  }

  private log(cat: SyncLogEntry["cat"], msg: string): void {
    this.emit("log", { ts: Date.now(), cat, msg });
  }

  private until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!cond()) return;
        this.off("status", check);
        resolve();
      };
      this.on("status", check);
    });
  }
}
