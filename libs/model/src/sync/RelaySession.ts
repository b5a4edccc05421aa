import type { DocumentId } from "@automerge/automerge-repo";
import { openEph, sealEph, streamIdFor, type EphPayload } from "@botschat/crypto";
import { CloseCode, decodeRelayFrame, type ErrorFrame, type PeerInfo } from "@botschat/protocol";
import type { DocSyncState, OutboxEntry, SyncTx } from "../storage/PeerStorage.js";
import { Backoff } from "./Backoff.js";
import { ConnectionState, LockReason, type SyncStatus } from "./ConnectionState.js";
import type { EntryApplier } from "./EntryApplier.js";
import { envelopeDoc, repoDoc } from "./envelopeDoc.js";
import type { Outbox } from "./Outbox.js";
import { RelayConnection } from "./RelayConnection.js";
import type { SocketFactory } from "./SocketLike.js";
import type { EphEvent } from "./SyncEngineOptions.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";
import type { VaultKeyring } from "./VaultKeyring.js";

/** What a {@link RelaySession} uses of the engine around it. */
export interface RelaySessionHost {
  readonly keyring: VaultKeyring;
  readonly applier: EntryApplier;
  readonly outbox: Outbox;
  status(): SyncStatus;
  setStatus(patch: Partial<SyncStatus>): void;
  /** The keyring opened: local changes made while locked may go now. */
  unlocked(): void;
  /** Resolves once `cond` holds for the status (checked on every status change). */
  until(cond: () => boolean): Promise<void>;
  /** A document's sync state (an ack moves its `lastSeq`). */
  state(id: DocumentId): DocSyncState | undefined;
  /** The relay acknowledged an append of this device. */
  acked(): void;
  persist(tx: SyncTx): Promise<void>;
  /** An entry the relay refused for good; its changes must go again in another form. */
  refused(entry: OutboxEntry, code: string): void;
  eph(event: EphEvent): void;
  peers(peers: PeerInfo[]): void;
  log(cat: SyncLogEntry["cat"], msg: string): void;
}

export interface RelaySessionOptions {
  relayUrl: string;
  /** A session token (browser) or a pairing token (agent). */
  token: string;
  label?: string;
  socket: SocketFactory;
  backoff?: Backoff;
}

/**
 * The engine's side of one relay connection at a time ([docs/specification.md]): `hello` and the
 * `welcome` that opens (or creates) the vault, entries and acks handed to the applier in order,
 * queued appends sent a bounded number at a time, refusals, eph frames and peers; and who waits
 * for `synced` or for an append's place in the relay's order.
 */
export class RelaySession {
  readonly connection: RelayConnection;
  /** The current connection was welcomed: entries may be applied and appends sent. */
  welcomed = false;
  private synced = false;
  private device: string | undefined;
  private syncedWaiters: (() => void)[] = [];
  /** {@link RelaySession.whenPlaced} callers, by the outbox entry whose ack they wait for. */
  private readonly placeWaiters = new Map<string, ((placed: boolean) => void)[]>();

  constructor(
    private readonly opts: RelaySessionOptions,
    private readonly host: RelaySessionHost,
  ) {
    const { keyring, applier, outbox } = host;
    this.connection = new RelayConnection(
      { relayUrl: opts.relayUrl, socket: opts.socket, backoff: opts.backoff ?? new Backoff() },
      {
        connecting: (url) => {
          this.welcomed = false;
          this.synced = false;
          applier.reset();
          outbox.resetInFlight();
          if (host.status().state !== ConnectionState.locked) host.setStatus({ state: ConnectionState.connecting });
          host.log(LogCategory.ws, `connecting to ${url}`);
        },
        opened: () => {
          if (keyring.keys) host.setStatus({ state: ConnectionState.authenticating });
          this.connection.send({ t: "hello", token: opts.token, since: applier.cursor, ...(opts.label ? { label: opts.label } : {}) });
        },
        message: (bytes) => this.receive(bytes),
        closed: () => {
          this.welcomed = false;
          this.synced = false;
        },
        refused: (error, signedOut) => host.setStatus({ state: ConnectionState.error, error, ...(signedOut ? { signedOut } : {}) }),
        // Locked stays put, except while the relay is still to check a passphrase we hold (no
        // vault known yet) or a vault may yet be created by another device.
        shouldReconnect: () => {
          const status = host.status();
          return (
            keyring.keys !== undefined ||
            status.state !== ConnectionState.locked ||
            status.lock === LockReason.noVault ||
            (status.lock === LockReason.needsPassphrase && keyring.passphrase !== undefined)
          );
        },
        reconnecting: (why) => {
          if (host.status().state !== ConnectionState.locked) host.setStatus({ state: ConnectionState.offline, error: why });
        },
        log: (cat, msg) => host.log(cat, msg),
      },
    );
  }

  /**
   * Gives the passphrase. With a known vault it is checked at once (offline too); otherwise on the
   * next `welcome`. Resolves with the resulting status: `locked` with `wrong-passphrase` means
   * nothing was written.
   */
  async unlock(passphrase: string): Promise<SyncStatus> {
    const { keyring, status } = this.host;
    keyring.passphrase = passphrase;
    if (keyring.vault) {
      if (!keyring.keys && keyring.open(keyring.vault)) this.unlocked();
      return status();
    }
    // No vault known locally: the relay's welcome decides (create, adopt or check).
    if (this.connection.active && this.welcomed) this.connection.close(CloseCode.normal, "retry with passphrase");
    else if (!this.connection.active) this.connection.connect();
    await this.host.until(() => status().state !== ConnectionState.locked || status().lock !== LockReason.needsPassphrase);
    return status();
  }

  /** Forgets the keys and passphrase; local documents stay. */
  lock(): void {
    this.host.keyring.forget();
    this.connection.close(CloseCode.normal, "locked");
    this.host.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
  }

  private unlocked(): void {
    this.host.log(LogCategory.info, "unlocked");
    // With a socket open (its welcome still to come, or the one that found no keys about to
    // close it), no longer `locked`: the welcome, or the reconnect after the close, moves on.
    // Without a socket it connects at once (below): "connecting", not a flash of "offline".
    const locked = this.host.status().state === ConnectionState.locked;
    const state = this.connection.active ? (locked ? ConnectionState.authenticating : undefined) : ConnectionState.connecting;
    this.host.setStatus({ lock: undefined, ...(state ? { state } : {}) });
    this.host.unlocked();
    if (!this.connection.active) this.connection.connect();
  }

  /** The relay's id of the token this session connects with (`welcome.device`), once welcomed. */
  get tokenId(): string | undefined {
    return this.device;
  }

  /** Resolves once the engine has caught up with the relay (`synced`) on the current connection. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncedWaiters.push(r));
  }

  /** The backlog of the current connection is applied. */
  caughtUp(): void {
    this.synced = true;
    for (const w of this.syncedWaiters.splice(0)) w();
  }

  /** Whether the current connection caught up. */
  get isSynced(): boolean {
    return this.synced;
  }

  /**
   * Calls `decide` once the append `entryId` takes its place in the relay's order, and resolves
   * with its answer (undefined: the engine stopped first).
   */
  whenPlaced<T>(entryId: string, decide: () => T): Promise<T | undefined> {
    return new Promise((resolve) => {
      const waiters = this.placeWaiters.get(entryId) ?? [];
      waiters.push((placed) => resolve(placed ? decide() : undefined));
      this.placeWaiters.set(entryId, waiters);
    });
  }

  /**
   * Our append `id` took its place: every entry stored before it is applied, none after it. The
   * waiters decide now, synchronously: the next entry may be applied before any promise settles.
   */
  placed(entryId: string): void {
    const waiters = this.placeWaiters.get(entryId);
    this.placeWaiters.delete(entryId);
    for (const w of waiters ?? []) w(true);
  }

  /** Stopping: nobody's append will take its place through this session any more. */
  stop(): void {
    this.connection.stop();
    for (const waiters of this.placeWaiters.values()) for (const w of waiters) w(false);
    this.placeWaiters.clear();
  }

  /** Sends queued appends, a bounded number in flight at a time (each ack lets the next go). */
  sendOutbox(): void {
    if (!this.welcomed || !this.host.keyring.keys) return;
    this.host.outbox.pump((e) =>
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

  /** Sends an encrypted ephemeral frame about a document to the user's other sockets ([K6]). */
  sendEph(doc: DocumentId, payload: Omit<EphPayload, "doc">): boolean {
    const keys = this.host.keyring.keys;
    if (!keys || !this.connection.active || !this.welcomed) return false;
    const stream = streamIdFor(keys, envelopeDoc(doc));
    const body = sealEph(keys, stream, { ...payload, doc: envelopeDoc(doc) } as EphPayload);
    return this.connection.send({ t: "eph", stream, body });
  }

  /** Closes the connection after an internal failure (it reconnects and starts over). */
  fatal(e: unknown): void {
    this.host.log(LogCategory.error, `sync failed: ${e instanceof Error ? e.message : String(e)}`);
    this.connection.close(4000, "internal error");
  }

  private receive(bytes: Uint8Array): void {
    const applier = this.host.applier;
    const log = (cat: SyncLogEntry["cat"], msg: string) => this.host.log(cat, msg);
    const r = decodeRelayFrame(bytes);
    if (!r.ok) return log(LogCategory.warn, `bad frame from the relay: ${r.error.message}`);
    const f = r.frame;
    switch (f.t) {
      case "welcome":
        this.device = f.device;
        return void this.welcome(f.head, f.vault).catch((e: unknown) => this.fatal(e));
      case "entry":
        log(LogCategory.wsTraffic, `← entry ${f.seq} ${f.kind} ${f.body.length} B`);
        return applier.push(f);
      case "synced":
        return applier.push({ t: "synced", head: f.head });
      case "ack":
        log(LogCategory.wsTraffic, `← ack ${f.seq}`);
        this.ack(f.id, f.seq);
        // N16: every entry below an ack came before it, so once those are applied our own entry
        // counts as applied too — the cursor (and a snapshot's covers) may move past it.
        return applier.push({ t: "acked", seq: f.seq, id: f.id });
      case "eph":
        return this.eph(f.stream, f.body);
      case "peers":
        log(LogCategory.wsTraffic, `← peers (${f.peers.length})`);
        return this.host.peers(f.peers);
      case "pong":
        return this.connection.pong();
      case "error":
        return this.error(f);
    }
  }

  private async welcome(head: number, vault: Uint8Array | null): Promise<void> {
    const { keyring, applier } = this.host;
    this.host.log(LogCategory.ws, `welcome: head ${head}, cursor ${applier.cursor}`);
    this.connection.resetBackoff();
    if (!keyring.keys) {
      let ok = false;
      if (vault) ok = keyring.open(vault);
      else if (!keyring.passphrase) this.host.setStatus({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
      else ok = await keyring.createOrAdopt();
      // A listener of the `locked` status just set may have unlocked (and run `unlocked`) already.
      if (!ok && !keyring.keys) {
        // Locked: close without writing anything ([K2]).
        this.connection.close(CloseCode.normal, "locked");
        return;
      }
      if (ok) this.unlocked();
    } else if (vault && keyring.vault && !sameBytes(vault, keyring.vault)) {
      // The account's vault changed under us (reset elsewhere): our keys no longer fit.
      keyring.forgetVault();
      if (!keyring.open(vault)) {
        this.connection.close(CloseCode.normal, "locked");
        return;
      }
    }
    this.welcomed = true;
    this.host.setStatus({ state: ConnectionState.catchingUp, error: undefined, progress: { applied: 0, head, cursor: applier.cursor } });
    this.sendOutbox();
    applier.pump();
  }

  private ack(id: string, seq: number): void {
    const e = this.host.outbox.ack(id);
    if (!e) return;
    this.sendOutbox();
    this.host.acked();
    const st = this.host.state(e.doc as DocumentId);
    if (st) st.lastSeq = Math.max(st.lastSeq, seq);
    void this.host.persist({ outboxRemove: [id], ...(st ? { docs: [[e.doc, st]] } : {}) });
  }

  private error(f: ErrorFrame): void {
    this.host.log(LogCategory.error, `relay error ${f.code}: ${f.message}${f.id ? ` (append ${f.id})` : ""}`);
    if (!f.id) return;
    this.host.outbox.release(f.id);
    switch (f.code) {
      case "rate_limited":
      case "internal":
        setTimeout(() => this.sendOutbox(), 1000);
        return;
      case "quota_exceeded":
        this.host.setStatus({ error: "The relay's storage quota is used up; changes stay queued on this device." });
        return;
      default: {
        // too_large, invalid, bad_frame: the same bytes would be refused again. Their changes
        // are not given up: they go again in parts the relay takes.
        const refused = this.host.outbox.get(f.id);
        void this.host.persist({ outboxRemove: [f.id] });
        if (refused !== undefined) this.host.refused(refused, f.code);
      }
    }
  }

  private eph(stream: Uint8Array, body: Uint8Array): void {
    const keys = this.host.keyring.keys;
    if (!keys) return;
    const r = openEph(keys, stream, body);
    if (!r.ok) return this.host.log(LogCategory.warn, `rejected an eph frame: ${r.reason}`);
    this.host.eph({ doc: repoDoc(r.payload.doc), payload: r.payload });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
