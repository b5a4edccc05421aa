import type { SocketLike } from "../../src/sync/SocketLike.js";

/** WebSocket ready states. */
export const ReadyState = { connecting: 0, open: 1, closing: 2, closed: 3 } as const;

/** What a {@link MemorySocket} sends through: its wire to the relay. */
export interface SocketWire {
  /** A binary message for the relay. */
  send(bytes: Uint8Array): void;
  /** The device closes the socket. */
  close(code: number, reason: string): void;
}

/**
 * A device's end of a socket to a {@link MemoryRelay}, shaped like the browser's `WebSocket`
 * (the engine's {@link SocketLike}): it opens, delivers binary messages and closes on later tasks,
 * never inside the call that caused them. Bytes are copied when sent (into a buffer of their own), as
 * a network does.
 */
export class MemorySocket implements SocketLike {
  binaryType = "blob";
  readyState: number = ReadyState.connecting;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** Set by the line that made it, once the socket is wired. */
  wire: SocketWire | undefined;

  send(data: Uint8Array): void {
    if (this.readyState === ReadyState.connecting) throw new Error("WebSocket is not open: readyState 0 (CONNECTING)");
    if (this.readyState !== ReadyState.open) return;
    this.wire?.send(new Uint8Array(data));
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState === ReadyState.closing || this.readyState === ReadyState.closed) return;
    if (this.readyState === ReadyState.connecting) {
      // Closed before it opened: the attempt is abandoned (the `ws` package reports 1006).
      this.wire?.close(code, reason);
      return this.closed(1006, "");
    }
    this.readyState = ReadyState.closing;
    this.wire?.close(code, reason);
  }

  // ---- called by the wire, on a later task ----

  opened(): void {
    if (this.readyState !== ReadyState.connecting) return;
    this.readyState = ReadyState.open;
    this.onopen?.({ type: "open" });
  }

  message(bytes: Uint8Array): void {
    if (this.readyState !== ReadyState.open) return;
    this.onmessage?.({ data: this.binaryType === "arraybuffer" ? bytes.buffer : bytes });
  }

  /** The connection could not be made (no route, the relay down). */
  refused(): void {
    if (this.readyState === ReadyState.closed) return;
    this.onerror?.({ type: "error" });
    this.closed(1006, "");
  }

  closed(code: number, reason: string): void {
    if (this.readyState === ReadyState.closed) return;
    this.readyState = ReadyState.closed;
    this.onclose?.({ code, reason });
  }
}
