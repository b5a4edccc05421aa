import * as A from "@automerge/automerge";
import { Repo, type DocHandle, type DocumentId } from "@automerge/automerge-repo";
import { EventEmitter } from "eventemitter3";
import {
  createVault,
  fromBase64url,
  openEntry,
  openEph,
  openVault,
  ROOT_DOCUMENT_ID,
  sealEntry,
  sealEph,
  streamIdFor,
  toBase64url,
  type CreateVaultOptions,
  type EphPayload,
  type VaultKeys,
} from "@botschat/crypto";
import {
  CloseCode,
  decodeRelayFrame,
  encodeFrame,
  type ClientFrame,
  type EntryFrame,
  type ErrorFrame,
  type PeerInfo,
  type DocumentId as EnvelopeDocId,
} from "@botschat/protocol";
import type { DocStore } from "../docs/DocStore.js";
import { ROOT_DOC_ID } from "../docs/ids.js";
import type { DocSyncState, OutboxEntry, PeerStorage, SyncTx } from "../storage/PeerStorage.js";
import { PeerStorageAdapter } from "../storage/PeerStorageAdapter.js";
import { Backoff } from "./Backoff.js";
import { ConnectionState, LockReason, type SyncStatus } from "./ConnectionState.js";
import { initialChange } from "../docs/deterministicDoc.js";
import { messageBytes, type SocketFactory, type SocketLike } from "./SocketLike.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";
import { MAX_IN_FLIGHT, Outbox } from "./Outbox.js";
import { shouldSnapshot } from "./shouldSnapshot.js";

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
  /** Argon2id cost of a vault this engine creates (tests lower it). */
  vaultOptions?: CreateVaultOptions;
  backoff?: Backoff;
  /** The fetch used for `PUT /api/me/vault`. Default: the global one. */
  fetch?: typeof fetch;
  /** Appends sent but not yet acknowledged, at most. Default 64. */
  maxInFlight?: number;
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
  /** A document arrived or changed from another device. */
  remote: (doc: DocumentId) => void;
}

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
/** Entries applied between two persists of the cursor while catching up. */
const APPLY_BATCH = 200;

const META_VAULT = "vault";
/**
 * Meta key prefix marking a document changed locally whose changes may not be in the outbox yet
 * (set when it first becomes dirty, cleared by the commit that queues its update). On start, such
 * documents are loaded at once so a crash between the Repo's own save and that commit loses nothing.
 */
const META_PENDING = "pending:";
const MARK = new Uint8Array([1]);

const newState = (stream: Uint8Array): DocSyncState => ({
  stream,
  knownHeads: [],
  lastSeq: 0,
  updatesSinceSnapshot: 0,
  updateBytesSinceSnapshot: 0,
  snapshotBytes: 0,
});

function randomId(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

const envelopeDoc = (id: DocumentId) => (id === ROOT_DOC_ID ? ROOT_DOCUMENT_ID : (id as unknown as EnvelopeDocId));
const repoDoc = (doc: string) => (doc === ROOT_DOCUMENT_ID ? ROOT_DOC_ID : (doc as DocumentId));

const sameHeads = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h, i) => h === b[i]);

/**
 * Keeps an automerge-repo `Repo` in sync with the user's other devices through the relay.
 *
 * - Local changes are gathered for a short debounce, encrypted as one `update` entry per
 *   document, put in the persisted outbox together with the document's new known heads (one
 *   atomic storage commit), and appended with a stable id until acked ([A3]) — across reconnects
 *   and restarts.
 * - Entries from the relay are decrypted ([K5]: failures are logged and skipped), applied with
 *   `loadIncremental`, and the cursor is persisted only after the documents they touched are.
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
  private readonly opts: Required<Pick<SyncEngineOptions, "debounceMs" | "snapshotAfterUpdates" | "snapshotMinBytes">> &
    SyncEngineOptions;
  private readonly backoff: Backoff;

  private keys: VaultKeys | undefined;
  private passphrase: string | undefined;
  private vault: Uint8Array | undefined;
  private vaultStored = false;

  private status: SyncStatus = { state: ConnectionState.offline, progress: { applied: 0, head: 0, cursor: 0 }, pending: 0 };
  private cursor = 0;
  private readonly docs = new Map<DocumentId, DocSyncState>();
  private readonly outbox: Outbox;
  /** Documents whose {@link META_PENDING} mark is set (or being set). */
  private readonly marked = new Set<DocumentId>();
  /**
   * Documents first seen through entries whose dependencies have not arrived yet (after
   * compaction, an update can come before the snapshot holding the history it builds on): kept
   * aside as plain documents until complete, with the seq of their first such entry.
   */
  private readonly orphans = new Map<DocumentId, { doc: A.Doc<unknown>; since: number }>();
  /** Loaded documents with changes still waiting for missing dependencies, by the seq that left them so. */
  private readonly incomplete = new Map<DocumentId, number>();
  /** The document a remote entry is being applied to: its `change` event is not a local change. */
  private applyingRemote: DocumentId | undefined;
  private readonly handles = new Map<DocumentId, DocHandle<unknown>>();
  private readonly dirty = new Set<DocumentId>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  private socket: SocketLike | undefined;
  private welcomed = false;
  private synced = false;
  private readonly incoming: (EntryFrame | { t: "synced"; head: number } | { t: "acked"; seq: number })[] = [];
  private applying = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private chain: Promise<void> = Promise.resolve();
  private syncedWaiters: (() => void)[] = [];

  constructor(options: SyncEngineOptions) {
    super();
    this.opts = { debounceMs: 40, snapshotAfterUpdates: 300, snapshotMinBytes: 4096, ...options };
    this.backoff = options.backoff ?? new Backoff();
    this.outbox = new Outbox(options.maxInFlight ?? MAX_IN_FLIGHT);
    this.repo = new Repo({ storage: new PeerStorageAdapter(options.storage), network: [], sharePolicy: async () => false });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads the local copy and connects. Documents are readable before the relay answers. */
  async start(): Promise<void> {
    const snap = await this.opts.storage.loadSync();
    this.cursor = snap.cursor;
    for (const [id, st] of snap.docs) this.docs.set(id as DocumentId, st);
    this.outbox.add(snap.outbox);
    this.vault = snap.meta.get(META_VAULT);
    this.vaultStored = this.vault !== undefined;
    this.stopped = false;
    this.setStatus({ pending: this.outbox.size, progress: { applied: 0, head: this.cursor, cursor: this.cursor } });
    this.log(LogCategory.info, `local copy loaded: ${this.docs.size} documents, cursor ${this.cursor}, ${this.outbox.size} queued`);
    // Documents changed before a crash whose changes never reached the outbox: load them now, so
    // `adopt` compares their heads with the known ones and queues what is missing.
    for (const key of snap.meta.keys()) {
      if (!key.startsWith(META_PENDING)) continue;
      const id = key.slice(META_PENDING.length) as DocumentId;
      this.marked.add(id);
      if (this.has(id)) await this.load(id);
      else void this.persist({ meta: [[key, null]] }).then(() => this.marked.delete(id));
    }
    if (!this.keys) this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
    this.connect();
  }

  /**
   * Gives the passphrase. With a known vault it is checked at once (offline too); otherwise on the
   * next `welcome`. Resolves with the resulting status: `locked` with `wrong-passphrase` means
   * nothing was written.
   */
  async unlock(passphrase: string): Promise<SyncStatus> {
    this.passphrase = passphrase;
    if (this.vault) {
      if (this.keys) return this.status;
      if (!this.openKeys(this.vault)) return this.status;
      this.afterUnlock();
      return this.status;
    }
    // No vault known locally: the relay's welcome decides (create, adopt or check).
    if (this.socket && this.welcomed) this.closeSocket(CloseCode.normal, "retry with passphrase");
    else if (!this.socket) this.connect();
    await this.until(() => this.status.state !== ConnectionState.locked || this.status.lock !== LockReason.needsPassphrase);
    return this.status;
  }

  /** Forgets the keys and passphrase (the UI's "Lock"); local documents stay. */
  lock(): void {
    this.keys = undefined;
    this.passphrase = undefined;
    this.closeSocket(CloseCode.normal, "locked");
    this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
  }

  /** Flushes pending work and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.flushTimer);
    this.flushLocal();
    await this.chain;
    this.closeSocket(CloseCode.normal, "stopped");
    await this.repo.flush();
    await this.repo.shutdown();
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Resolves once the engine has caught up with the relay (`synced`) on the current connection. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncedWaiters.push(r));
  }

  /** Resolves once every queued local change is persisted and acked by the relay. */
  async whenIdle(): Promise<void> {
    this.flushLocal();
    await this.chain;
    await this.until(() => this.outbox.size === 0);
  }

  // ---------------------------------------------------------------- DocStore

  async find<T>(id: DocumentId): Promise<DocHandle<T>> {
    const cached = this.handles.get(id);
    if (cached) return cached as DocHandle<T>;
    let st = this.docs.get(id);
    if (!st && !this.synced && this.status.state !== ConnectionState.offline) {
      await this.whenSynced();
      st = this.docs.get(id);
    }
    if (!st || st.deleted) throw new Error(`document ${id} is not available`);
    return (await this.load(id)) as DocHandle<T>;
  }

  create<T>(initial: T): DocHandle<T> {
    const handle = this.repo.create<T>(initial);
    this.adopt(handle as DocHandle<unknown>, true);
    return handle;
  }

  async ensure<T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>> {
    const st = this.docs.get(id);
    if (st && !st.deleted) return (await this.load(id)) as DocHandle<T>;
    const handle = this.repo.import<T>(initialChange(initial() as object), { docId: id });
    this.adopt(handle as DocHandle<unknown>, true);
    return handle;
  }

  async tombstone(id: DocumentId): Promise<void> {
    const st = this.docs.get(id) ?? (this.keys ? newState(streamIdFor(this.keys, envelopeDoc(id))) : undefined);
    if (!st || st.deleted) return;
    await this.dropLocal(id);
    const tomb: DocSyncState = { ...st, deleted: true, knownHeads: [], updatesSinceSnapshot: 0, updateBytesSinceSnapshot: 0 };
    this.docs.set(id, tomb);
    if (!this.keys) {
      await this.persist({ docs: [[id, tomb]] });
      return;
    }
    const entry: OutboxEntry = {
      id: randomId(),
      doc: id,
      stream: st.stream,
      kind: "snapshot",
      body: sealEntry(this.keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), deleted: true }),
      covers: this.cursor,
      createdAt: Date.now(),
    };
    await this.persist({ docs: [[id, tomb]], outboxAdd: [entry] });
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
    if (!this.keys || !this.socket || !this.welcomed) return false;
    const stream = streamIdFor(this.keys, envelopeDoc(doc));
    const body = sealEph(this.keys, stream, { ...payload, doc: envelopeDoc(doc) } as EphPayload);
    return this.send({ t: "eph", stream, body });
  }

  // ---------------------------------------------------------------- documents

  private async load(id: DocumentId): Promise<DocHandle<unknown>> {
    const cached = this.handles.get(id);
    if (cached) return cached;
    const handle = await this.repo.find<unknown>(id);
    this.adopt(handle, false);
    return handle;
  }

  /** Registers a handle: its document is tracked, its local changes flow to the outbox. */
  private adopt(handle: DocHandle<unknown>, created: boolean): void {
    const id = handle.documentId;
    if (this.handles.has(id)) return;
    this.handles.set(id, handle);
    if (!this.docs.has(id)) {
      if (!this.keys) {
        // Without keys the stream id is unknown; it is filled in when the document is flushed.
        this.docs.set(id, newState(new Uint8Array(0)));
      } else this.docs.set(id, newState(streamIdFor(this.keys, envelopeDoc(id))));
    }
    handle.on("change", () => {
      if (this.applyingRemote !== id) this.markDirty(id);
    });
    if (created) this.markDirty(id);
    else if (!sameHeads(this.docs.get(id)!.knownHeads, A.getHeads(handle.doc() as A.Doc<unknown>))) this.markDirty(id);
  }

  private untrack(id: DocumentId): void {
    const h = this.handles.get(id);
    if (!h) return;
    h.removeAllListeners("change");
    this.handles.delete(id);
  }

  /**
   * Forgets a deleted document on this device: its handle leaves the Repo and its chunks leave
   * storage. The handle is unloaded rather than `repo.delete`d: deletion is a final state, and the
   * Repo's synchronizer, which starts on a handle asynchronously after it is created, fails (and
   * prints "Actor terminated") when it finds the handle already terminated.
   */
  private async dropLocal(id: DocumentId): Promise<void> {
    this.dirty.delete(id);
    this.untrack(id);
    if (this.repo.handles[id]) {
      // Saving first makes any save the Repo still has scheduled for it a no-op.
      if (this.repo.handles[id].isReady()) await this.repo.flush([id]);
      await this.repo.removeFromCache(id);
    }
    await this.opts.storage.removeRange([id]);
  }

  private markDirty(id: DocumentId): void {
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
    if (!this.keys) return;
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
    if (!handle || !st || st.deleted || !this.keys) return undefined;
    const doc = handle.doc() as A.Doc<unknown>;
    const heads = A.getHeads(doc);
    if (sameHeads(heads, st.knownHeads)) return undefined;
    const data = A.saveSince(doc, st.knownHeads);
    if (st.stream.length === 0) st.stream = streamIdFor(this.keys, envelopeDoc(id));
    st.knownHeads = heads;
    if (data.length === 0) return undefined;
    const body = sealEntry(this.keys, { stream: st.stream, kind: "update", doc: envelopeDoc(id), data });
    st.updatesSinceSnapshot += 1;
    st.updateBytesSinceSnapshot += body.length;
    return { id: randomId(), doc: id, stream: st.stream, kind: "update", body, createdAt: Date.now() };
  }

  /** A snapshot of the document when its updates outweigh the last one ([S1]); only while live. */
  private maybeSnapshot(id: DocumentId): OutboxEntry | undefined {
    const st = this.docs.get(id);
    const handle = this.handles.get(id);
    if (!st || st.deleted || !handle || !this.keys || this.status.state !== ConnectionState.live) return undefined;
    // [S2]: a snapshot claims every entry of its stream up to `covers` was applied.
    if (this.incomplete.has(id)) return undefined;
    if (!shouldSnapshot(st, { afterUpdates: this.opts.snapshotAfterUpdates, minBytes: this.opts.snapshotMinBytes })) return undefined;
    const data = A.save(handle.doc() as A.Doc<unknown>);
    const body = sealEntry(this.keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), data });
    st.updatesSinceSnapshot = 0;
    st.updateBytesSinceSnapshot = 0;
    st.snapshotBytes = body.length;
    this.log(LogCategory.info, `snapshot of ${id}: ${body.length} bytes, covers ${this.cursor}`);
    return { id: randomId(), doc: id, stream: st.stream, kind: "snapshot", body, covers: this.cursor, createdAt: Date.now() };
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

  // ---------------------------------------------------------------- keys

  private openKeys(vault: Uint8Array): boolean {
    this.vault = vault;
    if (!this.passphrase) {
      this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
      return false;
    }
    const r = openVault(vault, this.passphrase);
    if (!r.ok) {
      const lock = r.reason === "wrong-passphrase" ? LockReason.wrongPassphrase : LockReason.badVault;
      this.log(LogCategory.warn, lock === LockReason.wrongPassphrase ? "wrong passphrase" : `vault refused: ${r.reason}`);
      this.passphrase = undefined;
      this.setStatus({ state: ConnectionState.locked, lock });
      return false;
    }
    this.keys = r.keys;
    if (!this.vaultStored) {
      this.vaultStored = true;
      void this.persist({ meta: [[META_VAULT, vault]] });
    }
    return true;
  }

  private afterUnlock(): void {
    this.log(LogCategory.info, "unlocked");
    this.setStatus({ lock: undefined, ...(this.socket ? {} : { state: ConnectionState.offline }) });
    for (const id of this.handles.keys()) this.dirty.add(id);
    this.flushLocal();
    if (!this.socket) this.connect();
  }

  /** Creates the vault on the relay, or adopts the one another device set first ([K1]). */
  private async createOrAdoptVault(): Promise<boolean> {
    if (!this.passphrase) return false;
    const created = createVault(this.passphrase, this.opts.vaultOptions);
    const f = this.opts.fetch ?? fetch;
    const res = await f(`${this.opts.relayUrl}/api/me/vault`, {
      method: "PUT",
      headers: { authorization: `Bearer ${this.opts.token}`, "content-type": "application/json" },
      body: JSON.stringify({ vault: toBase64url(created.vault) }),
    });
    this.log(LogCategory.api, `PUT /api/me/vault → ${res.status}`);
    if (res.status === 204) {
      this.keys = created.keys;
      this.vault = created.vault;
      this.vaultStored = true;
      await this.persist({ meta: [[META_VAULT, created.vault]] });
      this.log(LogCategory.info, "vault created");
      return true;
    }
    if (res.status === 409) {
      const body = (await res.json()) as { vault?: string };
      const stored = typeof body.vault === "string" ? fromBase64url(body.vault) : undefined;
      return stored ? this.openKeys(stored) : false;
    }
    if (res.status === 403) this.setStatus({ state: ConnectionState.locked, lock: LockReason.noVault });
    return false;
  }

  // ---------------------------------------------------------------- connection

  private connect(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.reconnectTimer);
    const url = this.opts.relayUrl.replace(/^http/, "ws") + "/api/sync";
    this.welcomed = false;
    this.synced = false;
    this.incoming.length = 0;
    this.outbox.resetInFlight();
    if (this.status.state !== ConnectionState.locked) this.setStatus({ state: ConnectionState.connecting });
    this.log(LogCategory.ws, `connecting to ${url}`);
    let socket: SocketLike;
    try {
      socket = this.opts.socket(url);
    } catch (e) {
      this.scheduleReconnect(`cannot open a socket: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      if (this.keys) this.setStatus({ state: ConnectionState.authenticating });
      this.send({ t: "hello", token: this.opts.token, since: this.cursor, ...(this.opts.label ? { label: this.opts.label } : {}) });
      this.startPing();
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      const bytes = messageBytes(ev.data);
      if (!bytes) return this.log(LogCategory.warn, "ignored a text frame from the relay");
      this.receive(bytes);
    };
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopPing();
      this.onClosed(ev.code, ev.reason);
    };
  }

  private onClosed(code: number, reason: string): void {
    this.welcomed = false;
    this.synced = false;
    this.log(LogCategory.ws, `socket closed: ${code}${reason ? ` ${reason}` : ""}`);
    if (this.stopped) return;
    if (code === CloseCode.unauthorized) {
      this.setStatus({ state: ConnectionState.error, error: "This device was signed out or its token was revoked." });
      return;
    }
    if (code === CloseCode.replaced) {
      this.setStatus({ state: ConnectionState.error, error: "Another connection with the same pairing token took over." });
      return;
    }
    if (this.status.state === ConnectionState.locked && this.status.lock !== LockReason.noVault) return;
    this.scheduleReconnect(reason || `closed with ${code}`);
  }

  private scheduleReconnect(why: string): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    if (this.status.state !== ConnectionState.locked) this.setStatus({ state: ConnectionState.offline, error: why });
    this.log(LogCategory.ws, `reconnecting in ${delay} ms (${why})`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Reconnects now (the browser came back online). */
  reconnectNow(): void {
    if (this.socket || this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.backoff.reset();
    this.connect();
  }

  /** Drops the connection as if the network went away (tests, "go offline"). */
  disconnect(): void {
    this.closeSocket(4000, "disconnect");
  }

  private closeSocket(code: number, reason: string): void {
    const s = this.socket;
    if (!s) return;
    this.socket = undefined;
    this.stopPing();
    try {
      s.close(code, reason);
    } catch {
      // already closing
    }
    this.onClosed(code, reason);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      this.send({ t: "ping" });
      this.pongTimer = setTimeout(() => this.closeSocket(4000, "no pong"), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  private send(frame: ClientFrame): boolean {
    const s = this.socket;
    if (!s || s.readyState !== 1) return false;
    s.send(encodeFrame(frame));
    if (frame.t !== "ping") this.log(LogCategory.wsTraffic, `→ ${frame.t}${frame.t === "append" ? ` ${frame.kind} ${frame.body.length} B` : ""}`);
    return true;
  }

  /** Sends queued appends, a bounded number in flight at a time (each ack lets the next go). */
  private sendOutbox(): void {
    if (!this.welcomed || !this.keys) return;
    this.outbox.pump((e) =>
      this.send({
        t: "append",
        id: e.id,
        stream: e.stream,
        kind: e.kind,
        body: e.body,
        ...(e.covers !== undefined ? { covers: e.covers } : {}),
      }),
    );
  }

  // ---------------------------------------------------------------- receiving

  private receive(bytes: Uint8Array): void {
    const r = decodeRelayFrame(bytes);
    if (!r.ok) return this.log(LogCategory.warn, `bad frame from the relay: ${r.error.message}`);
    const f = r.frame;
    switch (f.t) {
      case "welcome":
        return void this.onWelcome(f.head, f.vault).catch((e: unknown) => this.fatal(e));
      case "entry":
        this.log(LogCategory.wsTraffic, `← entry ${f.seq} ${f.kind} ${f.body.length} B`);
        this.incoming.push(f);
        return this.pump();
      case "synced":
        this.incoming.push({ t: "synced", head: f.head });
        return this.pump();
      case "ack":
        this.log(LogCategory.wsTraffic, `← ack ${f.seq}`);
        this.onAck(f.id, f.seq);
        // N16: every entry below an ack came before it, so once those are applied our own entry
        // counts as applied too — the cursor (and a snapshot's covers) may move past it.
        this.incoming.push({ t: "acked", seq: f.seq });
        return this.pump();
      case "eph":
        return this.onEph(f.stream, f.body);
      case "peers":
        this.log(LogCategory.wsTraffic, `← peers (${f.peers.length})`);
        this.emit("peers", f.peers);
        return;
      case "pong":
        clearTimeout(this.pongTimer);
        return;
      case "error":
        return this.onError(f);
    }
  }

  private async onWelcome(head: number, vault: Uint8Array | null): Promise<void> {
    this.log(LogCategory.ws, `welcome: head ${head}, cursor ${this.cursor}`);
    this.backoff.reset();
    if (!this.keys) {
      let ok = false;
      if (vault) ok = this.openKeys(vault);
      else if (!this.passphrase) this.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
      else ok = await this.createOrAdoptVault();
      if (!ok) {
        // Locked: close without writing anything ([K2]).
        this.closeSocket(CloseCode.normal, "locked");
        return;
      }
      this.afterUnlock();
    } else if (vault && this.vault && !sameBytes(vault, this.vault)) {
      // The account's vault changed under us (reset elsewhere): our keys no longer fit.
      this.keys = undefined;
      this.vault = undefined;
      if (!this.openKeys(vault)) {
        this.closeSocket(CloseCode.normal, "locked");
        return;
      }
    }
    this.welcomed = true;
    this.setStatus({ state: ConnectionState.catchingUp, error: undefined, progress: { applied: 0, head, cursor: this.cursor } });
    this.sendOutbox();
    this.pump();
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
      default:
        // too_large, invalid, bad_frame: retrying the same bytes can never succeed.
        this.log(LogCategory.error, `dropped queued entry ${f.id}: ${f.code}`);
        void this.persist({ outboxRemove: [f.id] });
    }
  }

  private onEph(stream: Uint8Array, body: Uint8Array): void {
    if (!this.keys) return;
    const r = openEph(this.keys, stream, body);
    if (!r.ok) return this.log(LogCategory.warn, `rejected an eph frame: ${r.reason}`);
    this.emit("eph", { doc: repoDoc(r.payload.doc), payload: r.payload });
  }

  /** Applies queued entries in order; one pump at a time. */
  private pump(): void {
    if (this.applying || !this.welcomed || !this.keys) return;
    this.applying = true;
    void this.applyQueued()
      .catch((e: unknown) => this.fatal(e))
      .finally(() => {
        this.applying = false;
        if (this.incoming.length > 0 && this.welcomed) this.pump();
      });
  }

  private async applyQueued(): Promise<void> {
    const keys = this.keys!;
    const touched = new Map<DocumentId, DocSyncState>();
    let applied = 0;
    const save = async () => {
      if (touched.size === 0 && applied === 0) return;
      const docs = [...touched];
      touched.clear();
      applied = 0;
      await this.persist({ cursor: this.durableCursor(), docs }, docs.map(([id]) => id));
    };
    while (this.incoming.length > 0 && this.welcomed) {
      const f = this.incoming.shift()!;
      if (f.t === "synced") {
        await save();
        this.onSynced(f.head);
        continue;
      }
      if (f.t === "acked") {
        if (f.seq > this.cursor) {
          this.cursor = f.seq;
          applied += 1;
        }
        continue;
      }
      await this.applyEntry(keys, f, touched);
      this.cursor = Math.max(this.cursor, f.seq);
      applied += 1;
      const p = this.status.progress;
      this.status.progress = { applied: p.applied + 1, head: Math.max(p.head, f.seq), cursor: this.cursor };
      if (applied >= APPLY_BATCH) {
        await save();
        this.setStatus({});
      }
    }
    await save();
    this.setStatus({});
  }

  private async applyEntry(keys: VaultKeys, f: EntryFrame, touched: Map<DocumentId, DocSyncState>): Promise<void> {
    const r = openEntry(keys, { stream: f.stream, kind: f.kind, body: f.body });
    if (!r.ok) {
      this.log(LogCategory.warn, `rejected entry ${f.seq}: ${r.reason}`);
      return;
    }
    const id = repoDoc(r.doc);
    let st = this.docs.get(id);
    if (st?.deleted) return;
    if (r.deleted) {
      this.orphans.delete(id);
      this.incomplete.delete(id);
      await this.dropLocal(id);
      st = { ...(st ?? newState(f.stream)), deleted: true, lastSeq: f.seq, knownHeads: [] };
      this.docs.set(id, st);
      touched.set(id, st);
      this.log(LogCategory.info, `document ${id} was deleted`);
      this.emit("remote", id);
      return;
    }
    let handle = this.handles.get(id);
    if (!handle) {
      if (st) handle = await this.load(id);
      else {
        // A document this device does not have yet: build it aside until every change applies.
        const orphan = this.orphans.get(id) ?? { doc: A.init<unknown>(), since: f.seq };
        orphan.doc = A.loadIncremental(orphan.doc, r.data);
        if (A.getHeads(orphan.doc).length === 0 || A.getMissingDeps(orphan.doc, []).length > 0) {
          this.orphans.set(id, orphan);
          this.log(LogCategory.info, `document ${id} waits for earlier history (entry ${f.seq})`);
          return;
        }
        this.orphans.delete(id);
        handle = this.repo.import<unknown>(A.save(orphan.doc), { docId: id });
        st = newState(f.stream);
        st.knownHeads = A.getHeads(handle.doc() as A.Doc<unknown>);
        this.docs.set(id, st);
        this.adopt(handle, false);
        this.countEntry(st, f, r.data.length);
        touched.set(id, st);
        this.emit("remote", id);
        return;
      }
    }
    st = this.docs.get(id)!;
    // Our own unsent changes go out first, so that afterwards every head is known to the relay.
    this.dirty.delete(id);
    const local = this.takeLocalChanges(id);
    if (local) void this.persist({ docs: [[id, st]], outboxAdd: [local] }, [id]);
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
    this.countEntry(st, f, f.body.length);
    touched.set(id, st);
    this.emit("remote", id);
  }

  /**
   * The cursor to persist: entries not yet fully applied (changes waiting for missing
   * dependencies live only in memory) are received again after a restart.
   */
  private durableCursor(): number {
    let c = this.cursor;
    for (const o of this.orphans.values()) c = Math.min(c, o.since - 1);
    for (const seq of this.incomplete.values()) c = Math.min(c, seq - 1);
    return c;
  }

  private countEntry(st: DocSyncState, f: EntryFrame, bytes: number): void {
    st.lastSeq = Math.max(st.lastSeq, f.seq);
    if (f.kind === "snapshot") {
      st.snapshotBytes = bytes;
      st.updatesSinceSnapshot = 0;
      st.updateBytesSinceSnapshot = 0;
    } else {
      st.updatesSinceSnapshot += 1;
      st.updateBytesSinceSnapshot += bytes;
    }
  }

  private onSynced(head: number): void {
    this.synced = true;
    this.setStatus({ state: ConnectionState.live, error: undefined, progress: { ...this.status.progress, head } });
    this.log(LogCategory.ws, `synced at ${this.cursor}`);
    for (const w of this.syncedWaiters.splice(0)) w();
    this.flushLocal();
    const snaps: OutboxEntry[] = [];
    const states: [string, DocSyncState][] = [];
    for (const id of this.handles.keys()) {
      const s = this.maybeSnapshot(id);
      if (s) {
        snaps.push(s);
        states.push([id, this.docs.get(id)!]);
      }
    }
    if (snaps.length > 0) void this.persist({ docs: states, outboxAdd: snaps });
  }

  private fatal(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.log(LogCategory.error, `sync failed: ${msg}`);
    this.closeSocket(4000, "internal error");
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
