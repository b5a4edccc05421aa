import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import {
  decodeRelayFrame,
  encodeFrame,
  type AckFrame,
  type ClientFrame,
  type EntryFrame,
  type EntryKind,
  type ErrorFrame,
  type RelayFrame,
  type SyncedFrame,
  type WelcomeFrame,
} from "@botschat/protocol";

/** How a socket was closed. */
export interface Close {
  code: number;
  reason: string;
}

/** A short, readable description of a frame, for failure messages. */
export function describeFrame(f: RelayFrame): string {
  switch (f.t) {
    case "entry":
      return `entry(seq=${f.seq}, ${f.kind}, ${f.body.length}B)`;
    case "ack":
      return `ack(${f.id}→${f.seq})`;
    case "error":
      return `error(${f.code}${f.id === undefined ? "" : `, id=${f.id}`}: ${f.message})`;
    case "synced":
      return `synced(head=${f.head})`;
    case "welcome":
      return `welcome(head=${f.head}, device=${f.device})`;
    case "peers":
      return `peers(${f.peers.map((p) => `${p.kind}:${p.device}`).join(",")})`;
    default:
      return f.t;
  }
}

/**
 * A test peer on `/api/sync`: sends protocol frames, decodes everything the relay sends, and lets a
 * test wait for frames by predicate. Every received frame is kept in `received`; `next()` consumes
 * the oldest unconsumed frame that matches, so frames it skips stay available to later calls.
 */
export class SyncClient {
  /** Every decoded frame received, in order (consumed or not). */
  readonly received: RelayFrame[] = [];
  /** Messages from the relay that are not valid relay frames (text messages, bad CBOR): must stay empty. */
  readonly violations: string[] = [];
  /** Settles once the socket is closed, with the close code and reason. */
  readonly closed: Promise<Close>;
  /** Set once closed. */
  closeInfo: Close | undefined;
  /** The raw bytes of every binary message, only when connected with `keepRaw: true`. */
  readonly raw: Uint8Array[] = [];

  private readonly pending: RelayFrame[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    readonly ws: WebSocket,
    keepRaw: boolean,
  ) {
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (keepRaw && isBinary) this.raw.push(new Uint8Array(data));
      if (!isBinary) {
        this.violations.push(`text message: ${data.toString().slice(0, 200)}`);
      } else {
        const r = decodeRelayFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if (r.ok) {
          this.received.push(r.frame);
          this.pending.push(r.frame);
        } else {
          this.violations.push(`undecodable frame: ${r.error.message}`);
        }
      }
      this.wake();
    });
    this.closed = new Promise<Close>((resolve) => {
      ws.once("close", (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.wake();
      });
    });
    // Errors after open (e.g. a reset) surface as a close; keep them from crashing the test process.
    ws.on("error", () => undefined);
  }

  /**
   * Open a socket (no hello yet). Rejects if the upgrade fails. `keepRaw` also keeps the raw bytes
   * of every message in `raw` (for wire-format checks).
   */
  static connect(wsUrl: string, options: { headers?: Record<string, string>; timeoutMs?: number; keepRaw?: boolean } = {}): Promise<SyncClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: options.headers, handshakeTimeout: options.timeoutMs ?? 5_000 });
      const client = new SyncClient(ws, options.keepRaw ?? false);
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) => {
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.once("error", (e) => reject(new Error(`cannot connect to ${wsUrl}: ${e.message}`)));
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Send one protocol frame (binary CBOR). Silently drops it if the socket is no longer open. */
  send(frame: ClientFrame): void {
    this.sendRaw(encodeFrame(frame));
  }

  /** Send raw bytes as a binary message, or a string as a text message. */
  sendRaw(data: Uint8Array | string): void {
    if (!this.isOpen) return;
    if (typeof data === "string") this.ws.send(data);
    else this.ws.send(data, { binary: true });
  }

  /** Send `hello` and wait for `welcome`; rejects with the close code if the relay closes instead. */
  async hello(token: string, since = 0, label?: string, timeoutMs = 5_000): Promise<WelcomeFrame> {
    this.send(label === undefined ? { t: "hello", token, since } : { t: "hello", token, since, label });
    return (await this.next((f) => f.t === "welcome", timeoutMs)) as WelcomeFrame;
  }

  /**
   * Wait for (and consume) the oldest unconsumed frame matching `predicate` (any frame if omitted).
   * Fails after `timeoutMs`, or when the socket closes, listing what was received.
   */
  next<F extends RelayFrame = RelayFrame>(predicate: (f: RelayFrame) => boolean = () => true, timeoutMs = 5_000): Promise<F> {
    return new Promise<F>((resolve, reject) => {
      const check = (): boolean => {
        const i = this.pending.findIndex(predicate);
        if (i >= 0) {
          const [f] = this.pending.splice(i, 1);
          resolve(f as F);
          return true;
        }
        if (this.closeInfo) {
          reject(new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) before the awaited frame; ${this.summary()}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; ${this.summary()}`));
      }, timeoutMs);
      const waiter = () => {
        if (check()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
        }
      };
      this.waiters.push(waiter);
    });
  }

  /** Consume frames up to and including `synced`; returns the entries before it, in order. */
  async collectUntilSynced(timeoutMs = 10_000): Promise<{ entries: EntryFrame[]; synced: SyncedFrame }> {
    const entries: EntryFrame[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.next((x) => x.t === "entry" || x.t === "synced", Math.max(1, deadline - Date.now()));
      if (f.t === "synced") return { entries, synced: f };
      entries.push(f as EntryFrame);
    }
  }

  /** Send an append and wait for its `ack` or `error` (matched by id). */
  async append(a: { id: string; stream: Uint8Array; body: Uint8Array; kind?: EntryKind; covers?: number }, timeoutMs = 5_000): Promise<AckFrame | ErrorFrame> {
    const frame: ClientFrame = { t: "append", id: a.id, stream: a.stream, kind: a.kind ?? "update", body: a.body };
    if (a.covers !== undefined) frame.covers = a.covers;
    this.send(frame);
    return this.next<AckFrame | ErrorFrame>((f) => (f.t === "ack" || f.t === "error") && f.id === a.id, timeoutMs);
  }

  /** Like `append`, but fails unless the answer is an `ack`; returns its seq. */
  async appendAck(a: { id: string; stream: Uint8Array; body: Uint8Array; kind?: EntryKind; covers?: number }, timeoutMs = 5_000): Promise<number> {
    const r = await this.append(a, timeoutMs);
    if (r.t !== "ack") throw new Error(`append ${a.id} refused: ${describeFrame(r)}`);
    return r.seq;
  }

  /** Send `ping` and wait for `pong`. */
  async ping(timeoutMs = 5_000): Promise<void> {
    this.send({ t: "ping" });
    await this.next((f) => f.t === "pong", timeoutMs);
  }

  /** Wait for the socket to close; fails after `timeoutMs`. */
  async waitClosed(timeoutMs = 5_000): Promise<Close> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms; ${this.summary()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Frames received but not yet consumed by `next`. */
  unconsumed(): readonly RelayFrame[] {
    return this.pending;
  }

  /** Close from this side and wait for the close to complete. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close(code);
    await this.waitClosed(5_000).catch(() => this.ws.terminate());
  }

  /** Drop the TCP connection without a close handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  private summary(): string {
    const shown = this.received.slice(-30).map(describeFrame).join(", ");
    const more = this.received.length > 30 ? ` (last 30 of ${this.received.length})` : "";
    const v = this.violations.length > 0 ? `; violations: ${this.violations.slice(0, 5).join("; ")}` : "";
    return `received${more}: [${shown}]${v}`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Open a socket, send hello, and read the backlog up to `synced`. */
export async function openSynced(
  wsUrl: string,
  token: string,
  since = 0,
  label?: string,
): Promise<{ client: SyncClient; welcome: WelcomeFrame; entries: EntryFrame[]; synced: SyncedFrame }> {
  const client = await SyncClient.connect(wsUrl);
  const welcome = await client.hello(token, since, label);
  const { entries, synced } = await client.collectUntilSynced();
  return { client, welcome, entries, synced };
}

/** A random stream id (32 bytes, inside the 16–64 range). */
export const randomStream = (length = 32): Uint8Array => new Uint8Array(randomBytes(length));

/** Random body bytes. */
export const randomBody = (length = 64): Uint8Array => new Uint8Array(randomBytes(length));

/** A unique append id. */
let idCounter = 0;
export const newAppendId = (prefix = "a"): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(idCounter++).toString(36)}`;

/** Byte-wise equality. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
