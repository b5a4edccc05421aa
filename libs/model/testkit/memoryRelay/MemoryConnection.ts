import {
  CloseCode,
  decodeFrame,
  encodeFrame,
  ErrorCode,
  PeerKind,
  type AppendFrame,
  type DecodeResult,
  type ClientFrame,
  type DeviceId,
  type FrameErrorCode,
  type HelloFrame,
  type PeerInfo,
  type RelayFrame,
  type UserId,
} from "@botschat/protocol";
import { peerKindOf, type MemoryAccount, type MemoryAccounts } from "./MemoryAccounts.js";
import type { HubMember, MemoryHub } from "./MemoryHub.js";
import type { AppendOutcome, StoredEntry } from "./MemoryLog.js";

/** The lifecycle of one relay-side connection. */
export const ConnState = {
  awaitingHello: "awaiting-hello",
  catchingUp: "catching-up",
  live: "live",
  closed: "closed",
} as const;
export type ConnState = (typeof ConnState)[keyof typeof ConnState];

/** The relay's limits that a {@link MemoryConnection} applies. */
export interface ConnectionLimits {
  socketsPerUser: number;
  helloTimeoutMs: number;
  badFramesPerMinute: number;
  /** Entries per backlog page; after a full page the next one waits for a later task ([O2]). */
  pageEntries: number;
}

/** What a {@link MemoryConnection} needs of its relay. */
export interface ConnectionDeps {
  accounts: MemoryAccounts;
  hub: MemoryHub;
  limits: ConnectionLimits;
  /** Queues an append for the next commit; `committed` runs once the commit holding it is done. */
  append(account: MemoryAccount, frame: AppendFrame, committed: (outcome: AppendOutcome) => void): void;
}

/** How a connection reaches its device. */
export interface ConnectionWire {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The relay's side of one socket, rule for rule as the relay's `SyncConnection`: the first frame
 * must be `hello` ([H1]); then the backlog above `since`, `synced` once, then live entries, in seq
 * order ([O1]); appends acked only after their commit ([A1]), never before an entry the socket
 * is still to receive (N16), and never sent back as `entry` to their sender (N8); eph relayed to
 * the user's other sockets; `peers` after `synced` and on every change (N9); malformed frames
 * answered with `error`, too many of them closing the socket ([E1]). Every frame is CBOR through
 * libs/protocol, both ways.
 */
export class MemoryConnection implements HubMember {
  state: ConnState = ConnState.awaitingHello;
  userId = "" as UserId;
  device = "" as DeviceId;
  peer: PeerInfo = { device: "", kind: PeerKind.browser, label: "", since: 0 };

  private account: MemoryAccount | undefined;
  private cursor = 0;
  private dirty = false;
  private syncedSent = false;
  private readonly ownSeqs = new Set<number>();
  private heldAcks: { id: string; seq: number }[] = [];
  private badFrames: number[] = [];
  private readonly helloTimer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly wire: ConnectionWire,
    private readonly deps: ConnectionDeps,
  ) {
    this.helloTimer = setTimeout(() => this.close(CloseCode.helloTimeout, "no hello in time"), deps.limits.helloTimeoutMs);
  }

  /** A binary message from the device. */
  receive(bytes: Uint8Array): void {
    if (this.state === ConnState.closed) return;
    const result = decodeFrame(bytes);
    if (this.state === ConnState.awaitingHello) {
      if (!result.ok || result.frame.t !== "hello") return this.close(CloseCode.badFrame, "the first frame must be hello");
      return this.hello(result.frame);
    }
    this.handle(result);
  }

  /** The device closed the socket, or the connection broke. */
  ended(): void {
    this.closed();
  }

  // ---- frames ----

  private handle(result: DecodeResult<ClientFrame>): void {
    if (!result.ok) return this.refuse(result.error);
    const f = result.frame;
    switch (f.t) {
      case "hello":
        return this.refuse({ code: ErrorCode.badFrame, message: "hello was already received" });
      case "append":
        return this.append(f);
      case "eph":
        return this.deps.hub.eph(this, f.stream, f.body);
      case "ping":
        return this.send({ t: "pong" });
    }
  }

  /** An error frame for a refused frame; bad frames count towards closing ([E1], 3.3). */
  private refuse(error: { code: FrameErrorCode; message: string; id?: string }): void {
    this.send({ t: "error", ...error });
    if (error.code !== ErrorCode.badFrame) return;
    const now = Date.now();
    this.badFrames = this.badFrames.filter((t) => t > now - 60_000);
    this.badFrames.push(now);
    if (this.badFrames.length > this.deps.limits.badFramesPerMinute) this.close(CloseCode.badFrame, "too many bad frames");
  }

  private hello(f: HelloFrame): void {
    clearTimeout(this.helloTimer);
    const { accounts, hub, limits } = this.deps;
    const auth = accounts.authenticate(f.token);
    if (!auth) {
      this.send({ t: "error", code: ErrorCode.unauthorized, message: "the token is invalid, expired or revoked" });
      return this.close(CloseCode.unauthorized, "unauthorized");
    }
    const { account, token } = auth;
    if (hub.count(account.id) >= limits.socketsPerUser) {
      this.send({ t: "error", code: ErrorCode.rateLimited, message: `at most ${limits.socketsPerUser} sockets may be open for one user` });
      return this.close(CloseCode.tooManySockets, "too many sockets");
    }
    this.account = account;
    this.userId = account.id;
    this.device = token.id;
    this.peer = { device: token.id, kind: peerKindOf(token.kind), label: f.label ?? token.label, since: Date.now() };
    this.cursor = f.since;
    this.state = ConnState.catchingUp;
    const earlier = hub.join(this);
    if (token.kind === "pairing") for (const e of earlier) e.close(CloseCode.replaced, "replaced by a newer connection");
    this.send({ t: "welcome", userId: account.id, head: account.log.head, vault: account.vault, device: token.id });
    hub.announcePeers(this.userId);
    void this.catchUp();
  }

  /**
   * Sends every stored entry above the cursor, page by page; entries committed meanwhile mark the
   * connection dirty and are read too, so nothing falls between backlog and live ([O1]).
   */
  private async catchUp(): Promise<void> {
    const log = this.account!.log;
    const pageEntries = this.deps.limits.pageEntries;
    do {
      this.dirty = false;
      for (;;) {
        if (this.state !== ConnState.catchingUp) return;
        const page = log.readAfter(this.cursor, pageEntries);
        if (page.length === 0) break;
        for (const e of page) {
          // The sender of an entry gets only its ack ([A2]), even while catching up.
          if (!this.ownSeqs.has(e.seq)) this.sendEntry(e);
          this.cursor = e.seq;
        }
        this.releaseAcks(this.cursor);
        if (page.length === pageEntries) await nextTask();
      }
    } while (this.dirty);
    this.state = ConnState.live;
    this.ownSeqs.clear();
    this.releaseAcks(Number.POSITIVE_INFINITY);
    if (this.syncedSent) return;
    this.syncedSent = true;
    this.send({ t: "synced", head: Math.max(log.head, this.cursor) });
    this.sendPeers(this.deps.hub.peers(this.userId));
  }

  /** Sends the held acks whose seq the backlog has now passed, in seq order. */
  private releaseAcks(upTo: number): void {
    if (this.heldAcks.length === 0) return;
    this.heldAcks.sort((a, b) => a.seq - b.seq);
    while (this.heldAcks.length > 0 && this.heldAcks[0]!.seq <= upTo) {
      const a = this.heldAcks.shift()!;
      this.send({ t: "ack", id: a.id, seq: a.seq });
    }
  }

  private append(f: AppendFrame): void {
    this.deps.append(this.account!, f, (outcome) => {
      if (!outcome.ok) return this.send({ t: "error", code: outcome.code, message: outcome.message, id: f.id });
      if (this.state === ConnState.catchingUp) {
        this.ownSeqs.add(outcome.seq);
        // N16: an ack overtakes no entry this socket is still to receive.
        if (outcome.seq > this.cursor) this.heldAcks.push({ id: f.id, seq: outcome.seq });
        else this.send({ t: "ack", id: f.id, seq: outcome.seq });
      } else this.send({ t: "ack", id: f.id, seq: outcome.seq });
      if (!outcome.duplicate) {
        this.deps.hub.fanOut(this, { seq: outcome.seq, stream: f.stream, kind: f.kind, body: f.body, ts: outcome.ts });
      }
    });
  }

  // ---- HubMember ----

  offer(entry: StoredEntry): void {
    if (this.state === ConnState.catchingUp) {
      this.dirty = true;
      return;
    }
    if (this.state !== ConnState.live || entry.seq <= this.cursor) return;
    this.cursor = entry.seq;
    this.sendEntry(entry);
  }

  sendEph(stream: Uint8Array, body: Uint8Array): void {
    if (this.state !== ConnState.live && this.state !== ConnState.catchingUp) return;
    this.send({ t: "eph", stream, body });
  }

  sendPeers(peers: PeerInfo[]): void {
    if (this.syncedSent) this.send({ t: "peers", peers });
  }

  close(code: number, reason: string): void {
    if (this.state === ConnState.closed) return;
    this.closed();
    this.wire.close(code, reason);
  }

  // ---- internals ----

  private sendEntry(e: StoredEntry): void {
    this.send({ t: "entry", seq: e.seq, stream: e.stream, kind: e.kind, body: e.body, ts: e.ts });
  }

  private send(frame: RelayFrame): void {
    if (this.state === ConnState.closed) return;
    // A copy of its own: the encoder hands out views into a shared buffer (a Node Buffer in Node).
    this.wire.send(new Uint8Array(encodeFrame(frame)));
  }

  private closed(): void {
    if (this.state === ConnState.closed) return;
    const wasMember = this.userId !== "";
    this.state = ConnState.closed;
    clearTimeout(this.helloTimer);
    if (wasMember) this.deps.hub.leave(this);
  }
}
