import { CloseCode, encodeFrame, type ClientFrame } from "@botschat/protocol";
import type { Backoff } from "./Backoff.js";
import { messageBytes, type SocketFactory, type SocketLike } from "./SocketLike.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

/** What a {@link RelayConnection} tells its owner. */
export interface RelayConnectionHooks {
  /** A new socket is about to be opened (the previous connection's state is void). */
  connecting(url: string): void;
  /** The socket is open: time for `hello`. */
  opened(): void;
  /** A binary frame arrived. */
  message(bytes: Uint8Array): void;
  /** The socket closed (or was closed); a lasting failure has already been reported through `refused`. */
  closed(code: number, reason: string): void;
  /**
   * The relay refused this device for good (a revoked token, a replaced connection): no
   * reconnect. `signedOut` when its token no longer exists (signed out, revoked).
   */
  refused(error: string, signedOut: boolean): void;
  /** Whether to reconnect after a close that is not a refusal. */
  shouldReconnect(): boolean;
  /** A reconnect is scheduled after `delay` ms. */
  reconnecting(why: string, delay: number): void;
  log(cat: SyncLogEntry["cat"], msg: string): void;
}

/** What {@link RelayConnection} needs to open sockets. */
export interface RelayConnectionOptions {
  /** The relay's base URL, `http(s)://host:port`. */
  relayUrl: string;
  socket: SocketFactory;
  backoff: Backoff;
}

/**
 * One WebSocket to the relay at a time: opening it, keep-alive pings (a missing pong closes it),
 * the meaning of close codes, and reconnecting with the backoff until {@link RelayConnection.stop}.
 */
export class RelayConnection {
  private socket: SocketLike | undefined;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly opts: RelayConnectionOptions,
    private readonly hooks: RelayConnectionHooks,
  ) {}

  /** Whether a socket is open or opening. */
  get active(): boolean {
    return this.socket !== undefined;
  }

  /** Allows connecting (until {@link RelayConnection.stop}). */
  start(): void {
    this.stopped = false;
  }

  /** No reconnects from now on; the socket, if any, stays until {@link RelayConnection.close}. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
  }

  /** Opens a socket unless one is open or the connection is stopped. */
  connect(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.reconnectTimer);
    const url = this.opts.relayUrl.replace(/^http/, "ws") + "/api/sync";
    this.hooks.connecting(url);
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
      this.hooks.opened();
      this.startPing();
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      const bytes = messageBytes(ev.data);
      if (!bytes) return this.hooks.log(LogCategory.warn, "ignored a text frame from the relay");
      this.hooks.message(bytes);
    };
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopPing();
      this.onClosed(ev.code, ev.reason);
    };
  }

  /** Closes the socket, if any, as if the relay had closed it with `code`. */
  close(code: number, reason: string): void {
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

  /** Sends a frame on an open socket; false when there is none. */
  send(frame: ClientFrame): boolean {
    const s = this.socket;
    if (!s || s.readyState !== 1) return false;
    s.send(encodeFrame(frame));
    if (frame.t !== "ping") this.hooks.log(LogCategory.wsTraffic, `→ ${frame.t}${frame.t === "append" ? ` ${frame.kind} ${frame.body.length} B` : ""}`);
    return true;
  }

  /** The relay answered a ping. */
  pong(): void {
    clearTimeout(this.pongTimer);
  }

  /** The relay welcomed us: the next failure starts from the shortest delay again. */
  resetBackoff(): void {
    this.opts.backoff.reset();
  }

  /** Reconnects at once (the network came back), unless a socket is open or the connection is stopped. */
  reconnectNow(): void {
    if (this.socket || this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.opts.backoff.reset();
    this.connect();
  }

  private onClosed(code: number, reason: string): void {
    this.hooks.closed(code, reason);
    // A connection lost while it should last (the relay went away, the network dropped) is worth a warning.
    const expected = this.stopped || code === CloseCode.normal;
    this.hooks.log(expected ? LogCategory.ws : LogCategory.warn, `socket closed: ${code}${reason ? ` ${reason}` : ""}`);
    if (this.stopped) return;
    if (code === CloseCode.unauthorized) return this.hooks.refused("This device was signed out or its token was revoked.", true);
    if (code === CloseCode.replaced) return this.hooks.refused("Another connection with the same pairing token took over.", false);
    if (!this.hooks.shouldReconnect()) return;
    this.scheduleReconnect(reason || `closed with ${code}`);
  }

  private scheduleReconnect(why: string): void {
    if (this.stopped) return;
    const delay = this.opts.backoff.next();
    this.hooks.reconnecting(why, delay);
    this.hooks.log(LogCategory.ws, `reconnecting in ${delay} ms (${why})`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      this.send({ t: "ping" });
      this.pongTimer = setTimeout(() => this.close(4000, "no pong"), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}
