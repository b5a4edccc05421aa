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
import type { SocketLike } from "../../src/sync/SocketLike.js";
import { messageBytes } from "../../src/sync/SocketLike.js";
import type { MemoryLine } from "./MemoryLine.js";

/** How a socket was closed. */
export interface Close {
  code: number;
  reason: string;
}

/**
 * A raw protocol client on a {@link MemoryLine}, for checks of the relay itself: it sends frames,
 * decodes everything the relay sends (a frame that does not decode is a violation), and lets a
 * test wait for frames by predicate. Its methods match the relay kit's `SyncClient`, so a check
 * reads the same against either relay.
 */
export class MemorySyncClient {
  /** Every decoded frame received, in order. */
  readonly received: RelayFrame[] = [];
  /** Messages that are not valid relay frames: must stay empty. */
  readonly violations: string[] = [];
  closeInfo: Close | undefined;
  private readonly pending: RelayFrame[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: SocketLike) {
    socket.binaryType = "arraybuffer";
    socket.onmessage = (ev) => {
      const bytes = messageBytes(ev.data);
      const r = bytes ? decodeRelayFrame(bytes) : undefined;
      if (r?.ok) {
        this.received.push(r.frame);
        this.pending.push(r.frame);
      } else this.violations.push(r ? `undecodable frame: ${r.error.message}` : "text message");
      this.wake();
    };
    socket.onclose = (ev) => {
      this.closeInfo = { code: ev.code, reason: ev.reason };
      this.wake();
    };
  }

  /** Opens a socket on `line` to `wsUrl`; rejects when the connection is refused. */
  static connect(line: MemoryLine, wsUrl: string): Promise<MemorySyncClient> {
    const socket = line.socket(wsUrl);
    const client = new MemorySyncClient(socket);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(client);
      socket.onerror = () => reject(new Error(`cannot connect to ${wsUrl}`));
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === 1;
  }

  /** Sends one protocol frame (binary CBOR); dropped when the socket is no longer open. */
  send(frame: ClientFrame): void {
    this.sendRaw(encodeFrame(frame));
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.isOpen) this.socket.send(bytes);
  }

  /** Sends `hello` and waits for `welcome`. */
  async hello(token: string, since = 0, label?: string): Promise<WelcomeFrame> {
    this.send(label === undefined ? { t: "hello", token, since } : { t: "hello", token, since, label });
    return this.next<WelcomeFrame>((f) => f.t === "welcome");
  }

  /** Waits for (and consumes) the oldest unconsumed frame matching `predicate`; fails on close or after `timeoutMs`. */
  next<F extends RelayFrame = RelayFrame>(predicate: (f: RelayFrame) => boolean = () => true, timeoutMs = 5_000): Promise<F> {
    return new Promise<F>((resolve, reject) => {
      const check = (): boolean => {
        const i = this.pending.findIndex(predicate);
        if (i >= 0) {
          resolve(this.pending.splice(i, 1)[0] as F);
          return true;
        }
        if (this.closeInfo) {
          reject(new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) before the awaited frame; received ${this.summary()}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; received ${this.summary()}`));
      }, timeoutMs);
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  /** Consumes frames up to and including `synced`; returns the entries before it. */
  async collectUntilSynced(timeoutMs = 10_000): Promise<{ entries: EntryFrame[]; synced: SyncedFrame }> {
    const entries: EntryFrame[] = [];
    for (;;) {
      const f = await this.next((x) => x.t === "entry" || x.t === "synced", timeoutMs);
      if (f.t === "synced") return { entries, synced: f };
      entries.push(f as EntryFrame);
    }
  }

  /** Sends an append and waits for its `ack` or `error`, matched by id. */
  append(a: { id: string; stream: Uint8Array; body: Uint8Array; kind?: EntryKind; covers?: number }): Promise<AckFrame | ErrorFrame> {
    const frame: ClientFrame = { t: "append", id: a.id, stream: a.stream, kind: a.kind ?? "update", body: a.body };
    if (a.covers !== undefined) frame.covers = a.covers;
    this.send(frame);
    return this.next<AckFrame | ErrorFrame>((f) => (f.t === "ack" || f.t === "error") && f.id === a.id);
  }

  /** Frames received and not consumed yet. */
  unconsumed(): readonly RelayFrame[] {
    return this.pending;
  }

  /** Waits for the socket to close. */
  waitClosed(timeoutMs = 5_000): Promise<Close> {
    return new Promise((resolve, reject) => {
      if (this.closeInfo) return resolve(this.closeInfo);
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      const waiter = (): void => {
        if (!this.closeInfo) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(this.closeInfo);
      };
      this.waiters.push(waiter);
    });
  }

  /** Closes from this side. */
  close(code = 1000): void {
    this.socket.close(code);
  }

  private summary(): string {
    return `[${this.received
      .slice(-20)
      .map((f) => f.t)
      .join(", ")}]`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
