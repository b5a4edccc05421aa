import * as A from "@automerge/automerge";
import { Repo, type DocHandle, type DocumentId } from "@automerge/automerge-repo";
import { EventEmitter } from "eventemitter3";
import { openEph, sealEntry, sealEph, streamIdFor, toBase64url, type CreateVaultOptions, type EphPayload } from "@botschat/crypto";
import { CloseCode, decodeRelayFrame, type ErrorFrame, type PeerInfo } from "@botschat/protocol";
import type { DocStore } from "../docs/DocStore.js";
import type { DocSyncState, OutboxEntry, PeerStorage, SyncTx } from "../storage/PeerStorage.js";
import { PeerStorageAdapter } from "../storage/PeerStorageAdapter.js";
import { Backoff } from "./Backoff.js";
import { ConnectionState, LockReason, type SyncStatus } from "./ConnectionState.js";
import { initialChange } from "../docs/deterministicDoc.js";
import { OpError, OpErrorCode } from "../ops/OpError.js";
import type { SocketFactory } from "./SocketLike.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";
import { MAX_IN_FLIGHT, Outbox } from "./Outbox.js";
import { shouldSnapshot, type SnapshotMoment } from "./shouldSnapshot.js";
import { EntryApplier } from "./EntryApplier.js";
import { envelopeDoc, repoDoc } from "./envelopeDoc.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { RelayConnection } from "./RelayConnection.js";
import { sameHeads } from "./sameHeads.js";
import { VaultKeyring } from "./VaultKeyring.js";

/** How the engine reaches the relay and where it keeps its copy. */
export interface SyncEngineOptions {
  /** The relay's base URL, `http(s)://host:port`. */
  relayUrl: string;
  /** A session token (browser; may create the vault) or a pairing token (plugin). */
  token: string;
  storage: PeerStorage;
  /** Opens a WebSocket: the browser's `WebSocket`, or the `ws` package in Node. */
  socket: SocketFactory;
  /** Shown to the user's other devices in `peers`. */
  label?: string;
  /** Local changes are gathered this long before they become one append. Default 40 ms. */
  debounceMs?: number;
  /** A snapshot is written after this many updates to a document. Default 300. */
  snapshotAfterUpdates?: number;
  /** Updates must also outweigh the last snapshot by this many bytes before a snapshot. Default 4096. */
  snapshotMinBytes?: number;
  /**
   * A document this device has open is compacted once nothing changed it for this long (and
   * after each catch-up), when its updates since the last snapshot weigh more than
   * `compactRatio` of that snapshot and this device wrote most of them. Default 10 s.
   */
  compactQuietMs?: number;
  /** See `compactQuietMs`. Default 0.1: a quiet document costs the relay ≤ 1.1 × one save (DESIGN.md "Budgets"). */
  compactRatio?: number;
  /** Argon2id cost of a vault this engine creates (tests lower it). */
  vaultOptions?: CreateVaultOptions;
  backoff?: Backoff;
  /** The fetch used for `PUT /api/me/vault`. Default: the global one. */
  fetch?: typeof fetch;
  /** Appends sent but not yet acknowledged, at most. Default 64. */
  maxInFlight?: number;
  /**
   * A document that is not loaded gets one stored chunk per entry; once it has this many (and
   * they weigh a quarter of the last merged chunk), they are merged into one. Default 32.
   */
  mergeStoredChunksAfter?: number;
  /**
   * Loaded documents kept in memory, at most: beyond it, the least recently used ones that are
   * clean and not in use are let go of (as {@link SyncEngine.release} does; a later `find` loads
   * them again). In use means: someone listens to the handle (a `change` listener of a view),
   * it was used in the last `evictAfterIdleMs`, or it has updates waiting for their quiet
   * compaction. A handle let go of throws on `doc()` and `change()`: code that keeps a handle
   * across a long wait without listening to it must `find` it again. Default: no bound (set one
   * in a long-running app, e.g. 100 in the browser).
   */
  maxLoadedDocuments?: number;
  /** See `maxLoadedDocuments`. Default 10 s. */
  evictAfterIdleMs?: number;
}

/** What a `remote` event says about the document besides its id. */
export interface RemoteInfo {
  /**
   * Whether the document is loaded on this device (an open handle, whose `change` event fires
   * too). When false, the entry was only stored: nothing is in memory, and a listener that calls
   * `find` for it loads it — do that only for a document the user is looking at, or the lazy
   * catch-up loads the whole workspace.
   */
  loaded: boolean;
  /** Whether the entry deleted the document (a tombstone, [S4]). */
  deleted: boolean;
}

export interface EphEvent {
  /** The repo document id the frame concerns. */
  doc: DocumentId;
  payload: EphPayload;
}

interface EngineEvents {
  status: (status: SyncStatus) => void;
  log: (entry: SyncLogEntry) => void;
  eph: (event: EphEvent) => void;
  peers: (peers: PeerInfo[]) => void;
  /**
   * A document arrived, changed or was deleted by another device — also one that is not loaded
   * here (see {@link RemoteInfo.loaded} before calling `find` for it).
   */
  remote: (doc: DocumentId, info: RemoteInfo) => void;
}

const META_VAULT = "vault";
/** The largest update a refused one is sent again in (well under the relay's default frame limit). */
const RESEND_PART_BYTES = 4 * 1024 * 1024;

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
/**
 * Meta key prefix marking a document changed locally whose changes may not be in the outbox yet
 * (set when it first becomes dirty, cleared by the commit that queues its update). On start, such
 * documents are loaded at once so a crash between the Repo's own save and that commit loses nothing.
 */
const META_PENDING = "pending:";
const MARK = new Uint8Array([1]);

function randomId(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Keeps an automerge-repo `Repo` in sync with the user's other devices through the relay.
 *
 * - Local changes are gathered for a short debounce, encrypted as one `update` entry per
 *   document, put in the persisted outbox together with the document's new known heads (one
 *   atomic storage commit), and appended with a stable id until acked ([A3]) — across reconnects
 *   and restarts.
 * - Entries from the relay are applied by an {@link EntryApplier}; the socket is a
 *   {@link RelayConnection}; the keys come from a {@link VaultKeyring}.
 * - Before a remote entry is applied to a document, that document's own unsent changes are
 *   taken out first, so `knownHeads` always means "everything the relay has or will have".
 * - Snapshots replace a document's history when its updates outweigh the last snapshot or
 *   after `snapshotAfterUpdates` of them ([S1]); deleting a document appends a tombstone ([S4]).
 *
 * @example
 * const engine = new SyncEngine({ relayUrl, token, storage, socket: (u) => new WebSocket(u) });
 * await engine.start();
 * await engine.unlock(passphrase);
 */
export class SyncEngine extends EventEmitter<EngineEvents> implements DocStore {
  readonly repo: Repo;
  private readonly opts: Required<
    Pick<
      SyncEngineOptions,
      "debounceMs" | "snapshotAfterUpdates" | "snapshotMinBytes" | "compactQuietMs" | "compactRatio" | "maxLoadedDocuments" | "evictAfterIdleMs"
    >
  > &
    SyncEngineOptions;
  private readonly keyring: VaultKeyring;
  private readonly connection: RelayConnection;
  private readonly applier: EntryApplier;

  private status: SyncStatus = { state: ConnectionState.offline, progress: { applied: 0, head: 0, cursor: 0 }, pending: 0 };
  private readonly docs = new Map<DocumentId, DocSyncState>();
  private readonly outbox: Outbox;
  /** Documents whose {@link META_PENDING} mark is set (or being set). */
  private readonly marked = new Set<DocumentId>();
  private readonly handles = new Map<DocumentId, DocHandle<unknown>>();
  /** Loads under way, by document. */
  private readonly loads = new Map<DocumentId, Promise<DocHandle<unknown>>>();
  /** Handles being let go of ({@link SyncEngine.release}), by document: a load waits for them. */
  private readonly releases = new Map<DocumentId, Promise<void>>();
  private readonly dirty = new Set<DocumentId>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Open documents with updates since their last snapshot, by when they last changed (local or remote). */
  private readonly lastActive = new Map<DocumentId, number>();
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  /** Loaded documents by when this device last used them, least recent first. */
  private readonly lastUsed = new Map<DocumentId, number>();
  /** Listeners on each loaded handle once the Repo and the engine had theirs: more means someone else listens. */
  private readonly ownListeners = new Map<DocumentId, number>();
  private evictTimer: ReturnType<typeof setTimeout> | undefined;

  private welcomed = false;
  private relayDevice: string | undefined;
  private synced = false;
  private stopped = false;
  /** {@link SyncEngine.afterAck} callers, by the outbox entry whose ack they wait for. */
  private readonly placeWaiters = new Map<string, ((placed: boolean) => void)[]>();
  private chain: Promise<void> = Promise.resolve();
  private syncedWaiters: (() => void)[] = [];

  constructor(options: SyncEngineOptions) {
    super();
    this.opts = {
      debounceMs: 40,
      snapshotAfterUpdates: 300,
      snapshotMinBytes: 4096,
      compactQuietMs: 10_000,
      compactRatio: 0.1,
      maxLoadedDocuments: Number.POSITIVE_INFINITY,
      evictAfterIdleMs: 10_000,
      ...options,
    };
    this.outbox = new Outbox(options.maxInFlight ?? MAX_IN_FLIGHT);
    this.repo = new Repo({ storage: new PeerStorageAdapter(options.storage), network: [], sharePolicy: async () => false });
    this.keyring = new VaultKeyring(options, {
      locked: (lock) => this.setStatus({ state: ConnectionState.locked, lock }),
      storeVault: (vault) => this.persist({ meta: [[META_VAULT, vault]] }),
      log: (cat, msg) => this.log(cat, msg),
    });
    this.connection = new RelayConnection(
      { relayUrl: options.relayUrl, socket: options.socket, backoff: options.backoff ?? new Backoff() },
      {
        connecting: (url) => {
          this.welcomed = false;
          this.synced = false;
          this.applier.reset();
          this.outbox.resetInFlight();
          if (this.status.state !== ConnectionState.locked) this.setStatus({ state: ConnectionState.connecting });
          this.log(LogCategory.ws, `connecting to ${url}`);
        },
        opened: () => {
          if (this.keyring.keys) this.setStatus({ state: ConnectionState.authenticating });
          this.connection.send({ t: "hello", token: this.opts.token, since: this.applier.cursor, ...(this.opts.label ? { label: this.opts.label } : {}) });
        },
        message: (bytes) => this.receive(bytes),
        closed: () => {
          this.welcomed = false;
          this.synced = false;
        },
        refused: (error, signedOut) => this.setStatus({ state: ConnectionState.error, error, ...(signedOut ? { signedOut } : {}) }),
        // Locked stays put, except while the relay is still to check a passphrase we hold (no
        // vault known yet) or a vault may yet be created by another device.
        shouldReconnect: () =>
          this.keyring.keys !== undefined ||
          this.status.state !== ConnectionState.locked ||
          this.status.lock === LockReason.noVault ||
          (this.status.lock === LockReason.needsPassphrase && this.keyring.passphrase !== undefined),
        reconnecting: (why) => {
          if (this.status.state !== ConnectionState.locked) this.setStatus({ state: ConnectionState.offline, error: why });
        },
        log: (cat, msg) => this.log(cat, msg),
      },
    );
    this.applier = new EntryApplier({
      repo: this.repo,
      storage: options.storage,
      docs: this.docs,
      keys: () => this.keyring.keys,
      welcomed: () => this.welcomed,
      handle: (id) => this.handles.get(id),
      load: (id) => this.load(id),
      loading: (id) => this.loads.has(id) || this.releases.has(id),
      dropLocal: (id) => this.dropLocal(id),
      takeOutLocal: (id) => {
        this.dirty.delete(id);
        const local = this.takeLocalChanges(id);
        if (local) void this.persist({ docs: [[id, this.docs.get(id)!]], outboxAdd: [local] }, [id]);
      },
      persist: (tx, flushDocs) => this.persist(tx, flushDocs),
      status: () => this.status,
      statusChanged: () => this.setStatus({}),
      synced: (head) => this.onSynced(head),
      remote: (id) => {
        const loaded = this.handles.has(id);
        if (loaded) this.active(id);
        this.emit("remote", id, { loaded, deleted: this.docs.get(id)?.deleted === true });
      },
      placed: (id) => {
        const waiters = this.placeWaiters.get(id);
        this.placeWaiters.delete(id);
        for (const w of waiters ?? []) w(true);
      },
      mergeChunksAfter: options.mergeStoredChunksAfter ?? 32,
      fatal: (e) => this.fatal(e),
      log: (cat, msg) => this.log(cat, msg),
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads the local copy and connects. Documents are readable before the relay answers. */
  async start(): Promise<void> {
    this.stopped = false;
    const snap = await this.opts.storage.loadSync();
    this.applier.cursor = snap.cursor;
    for (const [id, st] of snap.docs) {
      // A state stored before devices counted their own updates: as before, its updates count as ours.
      st.ownUpdateBytes ??= st.updateBytesSinceSnapshot;
      this.docs.set(id as DocumentId, st);
    }
    this.outbox.add(snap.outbox);
    this.keyring.restore(snap.meta.get(META_VAULT));
    this.applier.restoreStoredHeads(snap.meta.keys());
    this.connection.start();
    this.setStatus({ pending: this.outbox.size, progress: { applied: 0, head: snap.cursor, cursor: snap.cursor } });
    this.log(LogCategory.info, `local copy loaded: ${this.docs.size} documents, cursor ${snap.cursor}, ${this.outbox.size} queued`);
    // Documents changed before a crash whose changes never reached the outbox: load them now, so
    // `adopt` compares their heads with the known ones and queues what is missing.
    for (const key of snap.meta.keys()) {
      if (!key.startsWith(META_PENDING)) continue;
      const id = key.slice(META_PENDING.length) as DocumentId;
      this.marked.add(id);
      if (this.has(id)) await this.load(id);
      else void this.persist({ meta: [[key, null]] }).then(() => this.marked.delete(id));
    }
    if (!this.keyring.keys) this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
    this.connection.connect();
  }

  /**
   * Gives the passphrase. With a known vault it is checked at once (offline too); otherwise on the
   * next `welcome`. Resolves with the resulting status: `locked` with `wrong-passphrase` means
   * nothing was written.
   */
  async unlock(passphrase: string): Promise<SyncStatus> {
    this.keyring.passphrase = passphrase;
    if (this.keyring.vault) {
      if (this.keyring.keys) return this.status;
      if (!this.keyring.open(this.keyring.vault)) return this.status;
      this.afterUnlock();
      return this.status;
    }
    // No vault known locally: the relay's welcome decides (create, adopt or check).
    if (this.connection.active && this.welcomed) this.connection.close(CloseCode.normal, "retry with passphrase");
    else if (!this.connection.active) this.connection.connect();
    await this.until(() => this.status.state !== ConnectionState.locked || this.status.lock !== LockReason.needsPassphrase);
    return this.status;
  }

  /** Forgets the keys and passphrase (the UI's "Lock"); local documents stay. */
  lock(): void {
    this.keyring.forget();
    this.connection.close(CloseCode.normal, "locked");
    this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
  }

  /** Flushes pending work and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.stop();
    clearTimeout(this.flushTimer);
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    clearTimeout(this.evictTimer);
    this.evictTimer = undefined;
    this.flushLocal();
    await this.chain;
    for (const waiters of this.placeWaiters.values()) for (const w of waiters) w(false);
    this.placeWaiters.clear();
    this.connection.close(CloseCode.normal, "stopped");
    await this.repo.flush();
    await this.repo.shutdown();
  }

  /**
   * The relay's id of the token this engine connects with (`welcome.device`; for an agent, its
   * pairing token's id), known once the relay has welcomed it.
   */
  get tokenId(): string | undefined {
    return this.relayDevice;
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Resolves once the engine has caught up with the relay (`synced`) on the current connection. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncedWaiters.push(r));
  }

  /**
   * Resolves once every entry received from the relay so far is applied and stored, and every
   * queued local change is persisted and acked by the relay.
   */
  async whenIdle(): Promise<void> {
    await this.applier.whenApplied();
    this.flushLocal();
    await this.chain;
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
    this.flushLocal(id);
    await this.chain;
    const entry = this.outbox.latestFor(id);
    if (!entry || this.stopped) return undefined;
    return new Promise<T | undefined>((resolve) => {
      const waiters = this.placeWaiters.get(entry.id) ?? [];
      waiters.push((placed) => resolve(placed ? decide() : undefined));
      this.placeWaiters.set(entry.id, waiters);
    });
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
    const cached = this.handles.get(id);
    if (cached) {
      this.touch(id);
      return cached as DocHandle<T>;
    }
    let st = this.docs.get(id);
    if (!st && !this.synced && this.status.state !== ConnectionState.offline) {
      await this.whenSynced();
      st = this.docs.get(id);
    }
    if (st?.deleted) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    if (!st) throw new OpError(OpErrorCode.notFound, `document ${id} is not available`);
    return (await this.load(id)) as DocHandle<T>;
  }

  create<T>(initial: T): DocHandle<T> {
    const handle = this.repo.create<T>(initial);
    this.adopt(handle as DocHandle<unknown>, true);
    return handle;
  }

  async ensure<T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>> {
    const st = this.docs.get(id);
    // A deleted derived document stays deleted: creating it again would bring it back to life here.
    if (st?.deleted) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    if (st) {
      const handle = await this.load(id);
      this.touch(id);
      return handle as DocHandle<T>;
    }
    const handle = this.repo.import<T>(initialChange(initial() as object), { docId: id });
    this.adopt(handle as DocHandle<unknown>, true);
    return handle;
  }

  async tombstone(id: DocumentId): Promise<void> {
    const keys = this.keyring.keys;
    const st = this.docs.get(id) ?? (keys ? newDocSyncState(streamIdFor(keys, envelopeDoc(id))) : undefined);
    if (!st || st.deleted) return;
    await this.dropLocal(id);
    const tomb: DocSyncState = { ...st, deleted: true, knownHeads: [], updatesSinceSnapshot: 0, updateBytesSinceSnapshot: 0 };
    this.docs.set(id, tomb);
    const meta = this.applier.forgetStoredHeads(id);
    if (!keys) {
      await this.persist({ docs: [[id, tomb]], ...(meta ? { meta: [meta] } : {}) });
      return;
    }
    const entry: OutboxEntry = {
      id: randomId(),
      doc: id,
      stream: st.stream,
      kind: "snapshot",
      body: sealEntry(keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), deleted: true }),
      covers: this.applier.cursor,
      createdAt: Date.now(),
    };
    await this.persist({ docs: [[id, tomb]], outboxAdd: [entry], ...(meta ? { meta: [meta] } : {}) });
  }

  /**
   * Lets go of a document's handle to free its memory: the caller promises not to use the handle
   * any more (a later `find` loads the document again). Only a clean document is let go of — no
   * unsent local changes, no history still missing; resolves with whether it was. Entries for it
   * then go straight to storage, as for any document that is not loaded.
   */
  release(id: DocumentId): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const handle = this.handles.get(id);
      const st = this.docs.get(id);
      if (!handle || !st || this.loads.has(id) || this.releases.has(id)) return false;
      if (this.dirty.has(id) || this.marked.has(id) || this.applier.isIncomplete(id) || this.applier.applyingRemote === id) return false;
      if (!sameHeads(st.knownHeads, A.getHeads(handle.doc() as A.Doc<unknown>))) return false;
      this.untrack(id);
      const done = (async () => {
        // Saving first makes any save the Repo still has scheduled for it a no-op.
        await this.repo.flush([id]);
        await this.unloadFromRepo(id);
      })();
      this.releases.set(id, done);
      try {
        await done;
      } finally {
        this.releases.delete(id);
      }
      return true;
    };
    // After every queued persist, so the chunks of what was queued for it are written first.
    const result = this.chain.then(run);
    this.chain = result.then(
      () => undefined,
      (e: unknown) => this.log(LogCategory.error, `releasing ${id} failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    return result.catch(() => false);
  }

  /** Whether a document exists locally (not deleted). */
  has(id: DocumentId): boolean {
    const st = this.docs.get(id);
    return !!st && !st.deleted;
  }

  /** Ids of every document this device holds. */
  documentIds(): DocumentId[] {
    return [...this.docs].filter(([, s]) => !s.deleted).map(([id]) => id);
  }

  // ---------------------------------------------------------------- eph

  /** Sends an encrypted ephemeral frame about a document to the user's other sockets ([K6]). */
  sendEph(doc: DocumentId, payload: Omit<EphPayload, "doc">): boolean {
    const keys = this.keyring.keys;
    if (!keys || !this.connection.active || !this.welcomed) return false;
    const stream = streamIdFor(keys, envelopeDoc(doc));
    const body = sealEph(keys, stream, { ...payload, doc: envelopeDoc(doc) } as EphPayload);
    return this.connection.send({ t: "eph", stream, body });
  }

  // ---------------------------------------------------------------- documents

  /** Loads a known document from storage (once, however many ask at the same time). */
  private load(id: DocumentId): Promise<DocHandle<unknown>> {
    const cached = this.handles.get(id);
    if (cached) return Promise.resolve(cached);
    let p = this.loads.get(id);
    if (!p) {
      p = (async () => {
        // Entries being stored for it while it was not loaded are part of what it loads.
        await this.releases.get(id);
        await this.applier.whenWritten(id);
        const handle = await this.repo.find<unknown>(id);
        this.adopt(handle, false);
        return handle;
      })().finally(() => this.loads.delete(id));
      this.loads.set(id, p);
    }
    return p;
  }

  /** Registers a handle: its document is tracked, its local changes flow to the outbox. */
  private adopt(handle: DocHandle<unknown>, created: boolean): void {
    const id = handle.documentId;
    if (this.handles.has(id)) return;
    this.handles.set(id, handle);
    if (!this.docs.has(id)) {
      const keys = this.keyring.keys;
      // Without keys the stream id is unknown; it is filled in when the document is flushed.
      this.docs.set(id, newDocSyncState(keys ? streamIdFor(keys, envelopeDoc(id)) : new Uint8Array(0)));
    }
    handle.on("change", () => {
      if (this.applier.applyingRemote !== id) this.markDirty(id);
    });
    this.ownListeners.set(id, listenerCount(handle));
    this.touch(id);
    if (created) return this.markDirty(id);
    const st = this.docs.get(id)!;
    const doc = handle.doc() as A.Doc<unknown>;
    const clear = this.applier.loaded(id, doc);
    if (clear) {
      // Entries were stored for it while it was not loaded, and a document that is not loaded has
      // no unsent changes: everything it holds now, the relay holds.
      st.knownHeads = A.getHeads(doc);
      void this.persist({ docs: [[id, st]], meta: [clear] });
    } else if (!sameHeads(st.knownHeads, A.getHeads(doc))) this.markDirty(id);
  }

  private untrack(id: DocumentId): void {
    const h = this.handles.get(id);
    if (!h) return;
    h.removeAllListeners("change");
    this.handles.delete(id);
    this.lastUsed.delete(id);
    this.ownListeners.delete(id);
  }

  /**
   * Forgets a deleted document on this device: its handle leaves the Repo and its chunks leave
   * storage. The handle is unloaded rather than `repo.delete`d: deletion is a final state, and the
   * Repo's synchronizer, which starts on a handle asynchronously after it is created, fails (and
   * prints "Actor terminated") when it finds the handle already terminated.
   */
  private async dropLocal(id: DocumentId): Promise<void> {
    // An entry being stored for it lands before its chunks are removed.
    await this.applier.whenWritten(id);
    this.dirty.delete(id);
    this.untrack(id);
    if (this.repo.handles[id]) {
      // Saving first makes any save the Repo still has scheduled for it a no-op.
      if (this.repo.handles[id].isReady()) await this.repo.flush([id]);
      await this.unloadFromRepo(id);
    }
    await this.opts.storage.removeRange([id]);
  }

  /**
   * Takes a handle out of the Repo. Unloading empties the handle's document and emits
   * `heads-changed`, on which the Repo would save that empty document as the newest snapshot and
   * remove the chunks holding the real one (automerge-repo 2.x, `removeFromCache`): its save
   * listener is taken off first.
   */
  private async unloadFromRepo(id: DocumentId): Promise<void> {
    this.repo.handles[id]?.removeAllListeners("heads-changed");
    await this.repo.removeFromCache(id);
  }

  private markDirty(id: DocumentId): void {
    this.touch(id);
    this.dirty.add(id);
    if (!this.marked.has(id)) {
      this.marked.add(id);
      void this.persist({ meta: [[META_PENDING + id, MARK]] });
    }
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushLocal();
    }, this.opts.debounceMs);
  }

  /**
   * Turns every dirty document's unsent changes into one sealed update each, synchronously, and
   * queues their persistence. Without keys nothing happens: the changes wait for the unlock.
   */
  private flushLocal(only?: DocumentId): void {
    if (!this.keyring.keys) return;
    const ids = only ? (this.dirty.has(only) ? [only] : []) : [...this.dirty];
    const entries: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    const unmark: DocumentId[] = [];
    for (const id of ids) {
      this.dirty.delete(id);
      if (this.marked.has(id)) unmark.push(id);
      const entry = this.takeLocalChanges(id);
      if (!entry) continue;
      // The writer of an update checks its document's snapshot policy; a snapshot holds the
      // update too, so it goes instead (a trailing update would depend on compacted history).
      entries.push(this.maybeSnapshot(id) ?? entry);
      states.push([id, this.docs.get(id)!]);
      this.active(id);
    }
    if (entries.length === 0 && unmark.length === 0) return;
    for (const id of unmark) this.marked.delete(id);
    const meta = unmark.map((id): [string, null] => [META_PENDING + id, null]);
    void this.persist(
      { ...(states.length > 0 ? { docs: states, outboxAdd: entries } : {}), ...(meta.length > 0 ? { meta } : {}) },
      states.map(([id]) => id as DocumentId),
    );
  }

  private takeLocalChanges(id: DocumentId): OutboxEntry | undefined {
    const handle = this.handles.get(id);
    const st = this.docs.get(id);
    const keys = this.keyring.keys;
    if (!handle || !st || st.deleted || !keys) return undefined;
    const doc = handle.doc() as A.Doc<unknown>;
    const heads = A.getHeads(doc);
    if (sameHeads(heads, st.knownHeads)) return undefined;
    const data = A.saveSince(doc, st.knownHeads);
    if (st.stream.length === 0) st.stream = streamIdFor(keys, envelopeDoc(id));
    st.knownHeads = heads;
    if (data.length === 0) return undefined;
    const body = sealEntry(keys, { stream: st.stream, kind: "update", doc: envelopeDoc(id), data });
    st.updatesSinceSnapshot += 1;
    st.updateBytesSinceSnapshot += body.length;
    st.ownUpdateBytes = (st.ownUpdateBytes ?? 0) + body.length;
    return { id: randomId(), doc: id, stream: st.stream, kind: "update", body, createdAt: Date.now() };
  }

  /** A snapshot of the document when the policy asks for one now ([S1], {@link shouldSnapshot}); only while live. */
  private maybeSnapshot(id: DocumentId, moment: SnapshotMoment = "writing"): OutboxEntry | undefined {
    const st = this.docs.get(id);
    const handle = this.handles.get(id);
    const keys = this.keyring.keys;
    if (!st || st.deleted || !handle || !keys || this.status.state !== ConnectionState.live) return undefined;
    // [S2]: a snapshot claims every entry of its stream up to `covers` was applied.
    if (this.applier.isIncomplete(id)) return undefined;
    const policy = { afterUpdates: this.opts.snapshotAfterUpdates, minBytes: this.opts.snapshotMinBytes, quietRatio: this.opts.compactRatio };
    if (!shouldSnapshot(st, policy, moment)) return undefined;
    const data = A.save(handle.doc() as A.Doc<unknown>);
    const body = sealEntry(keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), data });
    st.updatesSinceSnapshot = 0;
    st.updateBytesSinceSnapshot = 0;
    st.ownUpdateBytes = 0;
    st.snapshotBytes = body.length;
    this.lastActive.delete(id);
    const covers = this.applier.cursor;
    this.log(LogCategory.info, `snapshot of ${id}: ${body.length} bytes, covers ${covers}`);
    return { id: randomId(), doc: id, stream: st.stream, kind: "snapshot", body, covers, createdAt: Date.now() };
  }

  // ---------------------------------------------------------------- persistence

  /**
   * Persists in order: the touched documents' chunks first, then cursor, document states and
   * outbox in one atomic commit, then sends what was added. A crash in between re-derives the
   * same changes on restart (their heads were not yet recorded), so nothing is lost or doubled.
   */
  private persist(tx: SyncTx, flushDocs: DocumentId[] = []): Promise<void> {
    const run = async () => {
      const live = flushDocs.filter((d) => this.handles.has(d));
      if (live.length > 0) await this.repo.flush(live);
      const docs = tx.docs?.map(([id, st]) => [id, { ...st, knownHeads: [...st.knownHeads] }] as [string, DocSyncState]);
      await this.opts.storage.commit({ ...tx, ...(docs ? { docs } : {}) });
      if (tx.outboxRemove?.length) this.outbox.remove(tx.outboxRemove);
      if (tx.outboxAdd?.length) {
        this.outbox.add(tx.outboxAdd);
        this.sendOutbox();
      }
      this.setStatus({ pending: this.outbox.size });
    };
    this.chain = this.chain.then(run, run).catch((e: unknown) => {
      this.log(LogCategory.error, `local storage failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    return this.chain;
  }

  private afterUnlock(): void {
    this.log(LogCategory.info, "unlocked");
    // With a socket open (its welcome still to come, or the one that found no keys about to
    // close it), no longer `locked`: the welcome, or the reconnect after the close, moves on.
    // Without a socket it connects at once (below): "connecting", not a flash of "offline".
    const state = this.connection.active
      ? this.status.state === ConnectionState.locked
        ? ConnectionState.authenticating
        : undefined
      : ConnectionState.connecting;
    this.setStatus({ lock: undefined, ...(state ? { state } : {}) });
    for (const id of this.handles.keys()) this.dirty.add(id);
    this.flushLocal();
    if (!this.connection.active) this.connection.connect();
  }

  // ---------------------------------------------------------------- relay frames

  /** Sends queued appends, a bounded number in flight at a time (each ack lets the next go). */
  private sendOutbox(): void {
    if (!this.welcomed || !this.keyring.keys) return;
    this.outbox.pump((e) =>
      this.connection.send({
        t: "append",
        id: e.id,
        stream: e.stream,
        kind: e.kind,
        body: e.body,
        ...(e.covers !== undefined ? { covers: e.covers } : {}),
      }),
    );
  }

  private receive(bytes: Uint8Array): void {
    const r = decodeRelayFrame(bytes);
    if (!r.ok) return this.log(LogCategory.warn, `bad frame from the relay: ${r.error.message}`);
    const f = r.frame;
    switch (f.t) {
      case "welcome":
        this.relayDevice = f.device;
        return void this.onWelcome(f.head, f.vault).catch((e: unknown) => this.fatal(e));
      case "entry":
        this.log(LogCategory.wsTraffic, `← entry ${f.seq} ${f.kind} ${f.body.length} B`);
        return this.applier.push(f);
      case "synced":
        return this.applier.push({ t: "synced", head: f.head });
      case "ack":
        this.log(LogCategory.wsTraffic, `← ack ${f.seq}`);
        this.onAck(f.id, f.seq);
        // N16: every entry below an ack came before it, so once those are applied our own entry
        // counts as applied too — the cursor (and a snapshot's covers) may move past it.
        return this.applier.push({ t: "acked", seq: f.seq, id: f.id });
      case "eph":
        return this.onEph(f.stream, f.body);
      case "peers":
        this.log(LogCategory.wsTraffic, `← peers (${f.peers.length})`);
        this.emit("peers", f.peers);
        return;
      case "pong":
        return this.connection.pong();
      case "error":
        return this.onError(f);
    }
  }

  private async onWelcome(head: number, vault: Uint8Array | null): Promise<void> {
    this.log(LogCategory.ws, `welcome: head ${head}, cursor ${this.applier.cursor}`);
    this.connection.resetBackoff();
    if (!this.keyring.keys) {
      let ok = false;
      if (vault) ok = this.keyring.open(vault);
      else if (!this.keyring.passphrase) this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
      else ok = await this.keyring.createOrAdopt();
      // A listener of the `locked` status just set may have unlocked (and run afterUnlock) already.
      if (!ok && !this.keyring.keys) {
        // Locked: close without writing anything ([K2]).
        this.connection.close(CloseCode.normal, "locked");
        return;
      }
      if (ok) this.afterUnlock();
    } else if (vault && this.keyring.vault && !sameBytes(vault, this.keyring.vault)) {
      // The account's vault changed under us (reset elsewhere): our keys no longer fit.
      this.keyring.forgetVault();
      if (!this.keyring.open(vault)) {
        this.connection.close(CloseCode.normal, "locked");
        return;
      }
    }
    this.welcomed = true;
    this.setStatus({ state: ConnectionState.catchingUp, error: undefined, progress: { applied: 0, head, cursor: this.applier.cursor } });
    this.sendOutbox();
    this.applier.pump();
  }

  private onAck(id: string, seq: number): void {
    const e = this.outbox.ack(id);
    if (!e) return;
    this.sendOutbox();
    const st = this.docs.get(e.doc as DocumentId);
    if (st) st.lastSeq = Math.max(st.lastSeq, seq);
    void this.persist({ outboxRemove: [id], ...(st ? { docs: [[e.doc, st]] } : {}) });
  }

  private onError(f: ErrorFrame): void {
    this.log(LogCategory.error, `relay error ${f.code}: ${f.message}${f.id ? ` (append ${f.id})` : ""}`);
    if (!f.id) return;
    this.outbox.release(f.id);
    switch (f.code) {
      case "rate_limited":
      case "internal":
        setTimeout(() => this.sendOutbox(), 1000);
        return;
      case "quota_exceeded":
        this.setStatus({ error: "The relay's storage quota is used up; changes stay queued on this device." });
        return;
      default: {
        // too_large, invalid, bad_frame: the same bytes would be refused again. Their changes
        // are not given up: they go again in parts the relay takes (resendRefused).
        const refused = this.outbox.get(f.id);
        void this.persist({ outboxRemove: [f.id] });
        if (refused !== undefined) {
          void this.resendRefused(refused, f.code).catch((e: unknown) =>
            this.log(LogCategory.error, `resending the changes of ${refused.doc} failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        }
      }
    }
  }

  /**
   * An entry the relay refused (too large, or unreadable to it) may carry changes no other device
   * has (an update, or a snapshot sent in place of the updates it folds in): they are sent again
   * as the document's changes in parts of at most half the refused entry (and at most
   * {@link RESEND_PART_BYTES}), each its own update entry. Changes the relay holds already come
   * along too, and merge away. A single change larger than a part cannot go: the document's
   * changes stay on this device and the status says so.
   */
  private async resendRefused(entry: OutboxEntry, code: string): Promise<void> {
    const keys = this.keyring.keys;
    const st = this.docs.get(entry.doc as DocumentId);
    if (!keys || !st || st.deleted) return;
    const handle = await this.find<unknown>(entry.doc as DocumentId);
    const target = Math.max(1024, Math.min(RESEND_PART_BYTES, Math.floor(entry.body.length / 2)));
    const parts: Uint8Array[][] = [[]];
    let size = 0;
    for (const change of A.getAllChanges(handle.doc() as A.Doc<unknown>)) {
      if (change.length > target) {
        const error = `A change in document ${entry.doc} is too large for the relay (${change.length} bytes); it stays on this device.`;
        this.log(LogCategory.error, error);
        const unsent = this.status.unsent ?? [];
        this.setStatus({ error, unsent: unsent.includes(entry.doc) ? unsent : [...unsent, entry.doc] });
        return;
      }
      if (size + change.length > target) {
        parts.push([]);
        size = 0;
      }
      parts.at(-1)!.push(change);
      size += change.length;
    }
    const entries: OutboxEntry[] = parts.map((changes) => {
      const data = concatBytes(changes);
      const body = sealEntry(keys, { stream: st.stream, kind: "update", doc: envelopeDoc(entry.doc as DocumentId), data });
      st.updatesSinceSnapshot += 1;
      st.updateBytesSinceSnapshot += body.length;
      return { id: randomId(), doc: entry.doc, stream: st.stream, kind: "update", body, createdAt: Date.now() };
    });
    this.log(
      LogCategory.warn,
      `the relay refused ${entry.kind === "update" ? "an update" : "a snapshot"} of ${entry.doc} (${code}): its changes go again in ${entries.length} parts`,
    );
    await this.persist({ docs: [[entry.doc as DocumentId, st]], outboxAdd: entries });
  }

  private onEph(stream: Uint8Array, body: Uint8Array): void {
    const keys = this.keyring.keys;
    if (!keys) return;
    const r = openEph(keys, stream, body);
    if (!r.ok) return this.log(LogCategory.warn, `rejected an eph frame: ${r.reason}`);
    this.emit("eph", { doc: repoDoc(r.payload.doc), payload: r.payload });
  }

  private onSynced(head: number): void {
    this.synced = true;
    this.setStatus({ state: ConnectionState.live, error: undefined, progress: { ...this.status.progress, head } });
    this.log(LogCategory.ws, `synced at ${this.applier.cursor}`);
    for (const w of this.syncedWaiters.splice(0)) w();
    this.flushLocal();
    const snaps: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    // Caught up: what this device holds open is as quiet as it gets for now.
    for (const id of this.handles.keys()) {
      const s = this.maybeSnapshot(id, "quiet");
      if (s) {
        snaps.push(s);
        states.push([id, this.docs.get(id)!]);
      }
    }
    if (snaps.length > 0) void this.persist({ docs: states, outboxAdd: snaps });
  }

  // ---------------------------------------------------------------- the loaded documents' bound

  /** Whether a document is loaded on this device (an open handle that follows its changes). */
  isLoaded(id: DocumentId): boolean {
    return this.handles.has(id);
  }

  /** This device used a loaded document now; over the bound, an eviction is scheduled. */
  private touch(id: DocumentId): void {
    if (!this.handles.has(id)) return;
    this.lastUsed.delete(id);
    this.lastUsed.set(id, Date.now());
    if (this.handles.size > this.opts.maxLoadedDocuments) this.scheduleEviction(this.opts.evictAfterIdleMs);
  }

  private scheduleEviction(delayMs: number): void {
    if (this.evictTimer !== undefined) return;
    this.evictTimer = setTimeout(
      () => {
        this.evictTimer = undefined;
        void this.evict();
      },
      Math.max(0, delayMs),
    );
  }

  /** Lets go of least recently used documents that are clean and not in use until the bound holds. */
  private async evict(): Promise<void> {
    const idleMs = this.opts.evictAfterIdleMs;
    let retryIn = idleMs;
    for (const [id, at] of [...this.lastUsed]) {
      if (this.handles.size <= this.opts.maxLoadedDocuments || this.evictTimer !== undefined || this.stopped) return;
      const idleFor = Date.now() - at;
      if (idleFor < idleMs) {
        // Least recent first: the rest were used later still.
        retryIn = idleMs - idleFor;
        break;
      }
      const handle = this.handles.get(id);
      if (!handle || this.lastActive.has(id) || listenerCount(handle) > (this.ownListeners.get(id) ?? 0)) continue;
      if (await this.release(id)) this.log(LogCategory.info, `let go of ${id}: ${this.handles.size} documents loaded`);
    }
    if (this.handles.size > this.opts.maxLoadedDocuments && !this.stopped) this.scheduleEviction(retryIn);
  }

  // ---------------------------------------------------------------- compaction of quiet documents

  /** An open document changed now: its quiet compaction waits `compactQuietMs` from here. */
  private active(id: DocumentId): void {
    this.lastActive.delete(id);
    const st = this.docs.get(id);
    if (!st || st.deleted || st.updatesSinceSnapshot === 0) return;
    this.lastActive.set(id, Date.now());
    if (this.quietTimer === undefined) this.armQuietTimer();
  }

  private armQuietTimer(): void {
    // Insertion order is activity order, so the first entry is the next one due.
    const first = this.lastActive.values().next();
    if (first.done) return;
    const wait = Math.max(0, first.value + this.opts.compactQuietMs - Date.now());
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      this.compactQuiet();
    }, wait);
  }

  /** Snapshots the open documents that have been quiet for `compactQuietMs` when the policy says so. */
  private compactQuiet(): void {
    const due = Date.now() - this.opts.compactQuietMs;
    const snaps: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    for (const [id, at] of this.lastActive) {
      if (at > due) break;
      this.lastActive.delete(id);
      // Changes still waiting for the debounce: not quiet; their flush marks it active again.
      if (this.dirty.has(id)) continue;
      const s = this.maybeSnapshot(id, "quiet");
      if (s) {
        snaps.push(s);
        states.push([id, this.docs.get(id)!]);
      }
    }
    if (snaps.length > 0) void this.persist({ docs: states, outboxAdd: snaps });
    this.armQuietTimer();
  }

  private fatal(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.log(LogCategory.error, `sync failed: ${msg}`);
    this.connection.close(4000, "internal error");
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

/** Every listener on a handle, whatever the event. */
function listenerCount(handle: DocHandle<unknown>): number {
  return handle.eventNames().reduce((n, e) => n + handle.listenerCount(e), 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
