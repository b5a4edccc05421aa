import type { WebSocket } from "ws";
import {
  CloseCode,
  decodeFrame,
  encodeFrame,
  ErrorCode,
  PeerKind,
  type AppendFrame,
  type ClientFrame,
  type DecodeResult,
  type DeviceId,
  type FrameErrorCode,
  type HelloFrame,
  type PeerInfo,
  type RelayFrame,
  type UserId,
} from "@botschat/protocol";
import type { RelayConfig } from "../config.js";
import { authenticate } from "../http/authenticate.js";
import type { Logger } from "../log.js";
import type { LogStore, StoredEntry } from "../store/LogStore.js";
import { setFrameLimit } from "./frameLimit.js";
import type { Hub, HubMember } from "./Hub.js";

/** The lifecycle of one sync socket. */
export const ConnState = {
  awaitingHello: "awaiting-hello",
  authenticating: "authenticating",
  catchingUp: "catching-up",
  live: "live",
  closed: "closed",
} as const;
export type ConnState = (typeof ConnState)[keyof typeof ConnState];

/** Backlog pages ([O2]): bounded in count and bytes, sent only once the previous page has left. */
const PAGE_ENTRIES = 256;
const PAGE_BYTES = 1024 * 1024;
/** Below this many bytes queued on the socket, the next page may be sent. */
const LOW_WATER = 256 * 1024;
/** A live socket whose reader falls this far behind goes back to paging from the store. */
const LIVE_BACKLOG_MAX = 8 * 1024 * 1024;
/** Frames that may arrive while the token is being checked. */
const PENDING_MAX = 1024;

export interface SyncDeps {
  config: RelayConfig;
  store: LogStore;
  hub: Hub;
  log: Logger;
}

/**
 * One sync socket (docs/specification.md section 3): hello, backlog then live entries in seq order,
 * appends acked after commit, eph relay, peers. It survives any frame: decoding is one step,
 * handling a second, and every failure becomes an `error` frame or a close with the protocol's
 * code ([E1]).
 */
export class SyncConnection implements HubMember {
  state: ConnState = ConnState.awaitingHello;
  userId = "" as UserId;
  device = "" as DeviceId;
  peer: PeerInfo = { device: "", kind: PeerKind.browser, label: "", since: 0 };
  /** Whether the socket answered the last heartbeat ping. */
  alive = true;

  private cursor = 0;
  private head = 0;
  private dirty = false;
  private syncedSent = false;
  private readonly ownSeqs = new Set<number>();
  private heldAcks: { id: string; seq: number }[] = [];
  private readonly pending: DecodeResult<ClientFrame>[] = [];
  private badFrames: number[] = [];
  private drainWaiter: (() => void) | undefined;
  /** Eph frames not sent to this socket because it was not reading ([N17]). */
  private ephDropped = 0;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SyncDeps,
    private readonly remote: string,
  ) {
    this.helloTimer = setTimeout(() => this.close(CloseCode.helloTimeout, "no hello in time"), deps.config.helloTimeoutMs);
    ws.on("message", (data, isBinary) => this.receive(data as Buffer | ArrayBuffer | Buffer[], isBinary));
    ws.on("close", () => this.closed());
    ws.on("error", () => this.closed());
    ws.on("pong", () => {
      this.alive = true;
    });
  }

  // ---- receiving ----

  private receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    try {
      if (this.state === ConnState.closed) return;
      const bytes = toBytes(data);
      if (!isBinary) return this.refuse({ code: ErrorCode.badFrame, message: "frames must be binary CBOR" });
      if (bytes.length > this.deps.config.frameLimit) return this.tooLarge(bytes);
      const result = decodeFrame(bytes);
      switch (this.state) {
        case ConnState.awaitingHello:
          if (!result.ok || result.frame.t !== "hello") return this.close(CloseCode.badFrame, "the first frame must be hello");
          return void this.hello(result.frame).catch((e: unknown) => this.fail("hello", e));
        case ConnState.authenticating:
          if (this.pending.length >= PENDING_MAX) return this.close(CloseCode.badFrame, "too many frames before welcome");
          this.pending.push(result);
          return;
        default:
          return this.handle(result);
      }
    } catch (e) {
      this.fail("receive", e);
    }
  }

  private handle(result: DecodeResult<ClientFrame>): void {
    if (!result.ok) return this.refuse(result.error);
    const f = result.frame;
    switch (f.t) {
      case "hello":
        return this.refuse({ code: ErrorCode.badFrame, message: "hello was already received" });
      case "append":
        return this.append(f);
      case "eph": {
        const r = this.deps.hub.takeEph(this.userId);
        if (!r.ok) return this.send({ t: "error", code: ErrorCode.rateLimited, message: `too many eph frames; retry in ${r.retryAfterMs} ms` });
        return this.deps.hub.eph(this, f.stream, f.body);
      }
      case "ping":
        return this.send({ t: "pong" });
      default: {
        const never: never = f;
        throw new Error(`unhandled frame ${String(never)}`);
      }
    }
  }

  /** An error frame for a refused frame; bad frames count towards closing ([E1], 3.3). */
  private refuse(error: { code: FrameErrorCode; message: string; id?: string }): void {
    this.send({ t: "error", ...error });
    if (error.code !== ErrorCode.badFrame) return;
    const now = Date.now();
    this.badFrames = this.badFrames.filter((t) => t > now - 60_000);
    this.badFrames.push(now);
    if (this.badFrames.length > this.deps.config.badFramesPerMinute) this.close(CloseCode.badFrame, "too many bad frames");
  }

  private tooLarge(bytes: Uint8Array): void {
    if (this.state === ConnState.awaitingHello) return this.close(CloseCode.badFrame, "the first frame must be hello");
    const r = decodeFrame(bytes);
    const id = r.ok ? (r.frame.t === "append" ? r.frame.id : undefined) : r.error.id;
    this.send({
      t: "error",
      code: ErrorCode.tooLarge,
      message: `frame of ${bytes.length} bytes is over the limit of ${this.deps.config.frameLimit}`,
      ...(id !== undefined ? { id } : {}),
    });
  }

  // ---- hello and catch-up ----

  private async hello(f: HelloFrame): Promise<void> {
    this.state = ConnState.authenticating;
    clearTimeout(this.helloTimer);
    const { store, hub, log } = this.deps;
    const auth = await authenticate(store, f.token);
    if (this.state !== ConnState.authenticating) return;
    if (!auth) {
      this.send({ t: "error", code: ErrorCode.unauthorized, message: "the token is invalid, expired or revoked" });
      return this.close(CloseCode.unauthorized, "unauthorized");
    }
    const { user, token } = auth;
    if (hub.count(user.id) >= this.deps.config.socketsPerUser) {
      this.send({ t: "error", code: ErrorCode.rateLimited, message: `at most ${this.deps.config.socketsPerUser} sockets may be open for one user` });
      return this.close(CloseCode.tooManySockets, "too many sockets");
    }
    // Authenticated: frames up to the frame limit may come now (twice it is refused unread).
    setFrameLimit(this.ws, this.deps.config.frameLimit * 2);
    this.userId = user.id;
    this.device = token.id;
    this.peer = {
      device: token.id,
      kind: token.kind === "pairing" ? PeerKind.plugin : PeerKind.browser,
      label: f.label ?? token.label,
      since: Date.now(),
    };
    this.head = user.head;
    this.cursor = f.since;
    this.state = ConnState.catchingUp;
    const earlier = hub.join(this);
    if (token.kind === "pairing") for (const e of earlier) e.close(CloseCode.replaced, "replaced by a newer connection");
    log.info("socket authenticated", { userId: user.id, device: token.id, kind: this.peer.kind, since: f.since, remote: this.remote });
    this.send({ t: "welcome", userId: user.id, head: user.head, vault: user.vault, device: token.id });
    hub.announcePeers(this.userId);
    for (const r of this.pending.splice(0)) this.handle(r);
    await this.catchUp();
  }

  /**
   * Sends every stored entry above the cursor, page by page, waiting for each page to leave the
   * process ([O2]); entries committed meanwhile mark the connection dirty and are read too, so
   * nothing falls between backlog and live ([O1]).
   */
  private async catchUp(): Promise<void> {
    const { store } = this.deps;
    do {
      this.dirty = false;
      for (;;) {
        await this.drained();
        if (this.state !== ConnState.catchingUp) return;
        const page = await store.readAfter(this.userId, this.cursor, { limit: PAGE_ENTRIES, maxBytes: PAGE_BYTES });
        if (this.state !== ConnState.catchingUp) return;
        if (page.length === 0) break;
        for (const e of page) {
          // The sender of an entry gets only its ack ([A2]), even while catching up.
          if (!this.ownSeqs.has(e.seq)) this.sendEntry(e);
          this.cursor = e.seq;
        }
        this.releaseAcks(this.cursor);
      }
    } while (this.dirty);
    this.state = ConnState.live;
    this.ownSeqs.clear();
    this.releaseAcks(Infinity);
    if (this.syncedSent) return;
    // Once per socket: after a slow reader's return to paging, live entries simply resume.
    this.syncedSent = true;
    this.head = Math.max(this.head, this.cursor);
    this.send({ t: "synced", head: this.head });
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

  /** Resolves once fewer than LOW_WATER bytes wait on the socket. */
  private drained(): Promise<void> {
    if (this.ws.bufferedAmount < LOW_WATER || this.state === ConnState.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
    });
  }

  // ---- appends ----

  private append(f: AppendFrame): void {
    const { hub, store, config } = this.deps;
    const rate = hub.takeAppend(this.userId);
    if (!rate.ok) {
      return this.send({ t: "error", code: ErrorCode.rateLimited, message: `too many appends; retry in ${rate.retryAfterMs} ms`, id: f.id });
    }
    const userId = this.userId;
    store.append(userId, f, Date.now(), config.quota).then(
      (outcome) => {
        if (!outcome.ok) return this.send({ t: "error", code: outcome.code, message: outcome.message, id: f.id });
        this.head = Math.max(this.head, outcome.seq);
        if (this.state === ConnState.catchingUp) {
          this.ownSeqs.add(outcome.seq);
          // N16: an ack overtakes no entry this socket is still to receive.
          if (outcome.seq > this.cursor) this.heldAcks.push({ id: f.id, seq: outcome.seq });
          else this.send({ t: "ack", id: f.id, seq: outcome.seq });
        } else this.send({ t: "ack", id: f.id, seq: outcome.seq });
        if (!outcome.duplicate) {
          hub.fanOut(this, { seq: outcome.seq, stream: f.stream, kind: f.kind, body: f.body, ts: outcome.ts });
        }
      },
      (e: unknown) => {
        this.deps.log.error("append failed", { userId, error: String(e) });
        this.send({ t: "error", code: ErrorCode.internal, message: "the entry could not be stored; retry", id: f.id });
      },
    );
  }

  // ---- HubMember ----

  offer(entry: StoredEntry): void {
    this.head = Math.max(this.head, entry.seq);
    if (this.state === ConnState.catchingUp) {
      this.dirty = true;
      return;
    }
    if (this.state !== ConnState.live || entry.seq <= this.cursor) return;
    if (this.ws.bufferedAmount > LIVE_BACKLOG_MAX) {
      // A slow reader: stop buffering live entries and page them from the store instead.
      this.state = ConnState.catchingUp;
      void this.catchUp().catch((e: unknown) => this.fail("catch-up", e));
      return;
    }
    this.cursor = entry.seq;
    this.sendEntry(entry);
  }

  sendEph(stream: Uint8Array, body: Uint8Array): void {
    if (this.state !== ConnState.live && this.state !== ConnState.catchingUp) return;
    // N17: eph frames are best effort; a socket that does not read gets none, not a growing buffer.
    if (this.ws.bufferedAmount > this.deps.config.ephBufferBytes) {
      this.ephDropped += 1;
      if (this.ephDropped === 1 || this.ephDropped % 1000 === 0) {
        this.deps.log.debug("eph dropped for a socket that does not read", { userId: this.userId, device: this.device, dropped: this.ephDropped });
      }
      return;
    }
    this.send({ t: "eph", stream, body });
  }

  sendPeers(peers: PeerInfo[]): void {
    if (this.syncedSent) this.send({ t: "peers", peers });
  }

  close(code: number, reason: string): void {
    if (this.state === ConnState.closed) return;
    this.closed();
    this.ws.close(code, reason);
  }

  /** Ends a socket that missed a heartbeat. */
  terminate(): void {
    this.closed();
    this.ws.terminate();
  }

  // ---- internals ----

  private sendEntry(e: StoredEntry): void {
    this.send({ t: "entry", seq: e.seq, stream: e.stream, kind: e.kind, body: e.body, ts: e.ts });
  }

  private send(frame: RelayFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeFrame(frame), () => {
      if (this.drainWaiter && this.ws.bufferedAmount < LOW_WATER) {
        const w = this.drainWaiter;
        this.drainWaiter = undefined;
        w();
      }
    });
  }

  private closed(): void {
    if (this.state === ConnState.closed) return;
    const wasMember = this.userId !== "";
    this.state = ConnState.closed;
    clearTimeout(this.helloTimer);
    this.drainWaiter?.();
    this.drainWaiter = undefined;
    if (wasMember) this.deps.hub.leave(this);
  }

  private fail(where: string, e: unknown): void {
    this.deps.log.error("sync socket error", { where, userId: this.userId || null, error: e instanceof Error ? e.message : String(e) });
    if (this.state === ConnState.authenticating || this.state === ConnState.awaitingHello) {
      this.close(1011, "internal error");
      return;
    }
    this.send({ t: "error", code: ErrorCode.internal, message: "internal error" });
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
