import type { ConnectionWire, MemoryConnection } from "./MemoryConnection.js";
import type { Lane, MemoryNetwork } from "./MemoryNetwork.js";
import type { MemorySocket, SocketWire } from "./MemorySocket.js";

/** The two lanes of the line a socket belongs to. */
export interface LineLanes {
  readonly down: Lane;
  readonly up: Lane;
}

/**
 * One socket between a device and a {@link MemoryRelay}: the device's {@link MemorySocket}, the
 * relay's {@link MemoryConnection}, and its line's lane each way. Frames, the opening and the
 * closing handshake all travel on the lanes; {@link MemoryWire.cut} breaks the connection, losing
 * what it still had on the way.
 */
export class MemoryWire implements SocketWire {
  private readonly down: Lane;
  private readonly up: Lane;
  connection: MemoryConnection | undefined;
  private ended = false;
  /** The relay's end, as its connection sees it. */
  readonly relayEnd: ConnectionWire = {
    send: (bytes) => this.sendToDevice(bytes),
    close: (code, reason) => this.closeFromRelay(code, reason),
  };

  constructor(
    private readonly network: MemoryNetwork,
    readonly socket: MemorySocket,
    lanes: LineLanes,
  ) {
    this.down = lanes.down;
    this.up = lanes.up;
    socket.wire = this;
  }

  /** Whether the connection is over (closed or cut). */
  get over(): boolean {
    return this.ended;
  }

  /** The relay accepted the connection: the device sees it open. */
  accept(connection: MemoryConnection): void {
    this.connection = connection;
    this.network.send(this.down, this, () => this.socket.opened());
  }

  /** No connection could be made: the device sees an error and a close (1006). */
  refuse(): void {
    this.ended = true;
    this.network.send(this.down, this, () => this.socket.refused(), true);
  }

  // ---- SocketWire: the device's side ----

  send(bytes: Uint8Array): void {
    if (this.ended) return;
    this.network.send(this.up, this, () => this.connection?.receive(bytes));
  }

  close(code: number, reason: string): void {
    if (this.ended) return;
    this.network.send(this.up, this, () => {
      if (this.ended) return;
      this.ended = true;
      this.connection?.ended();
      // The relay answers the closing handshake with the same code.
      this.network.send(this.down, this, () => this.socket.closed(code, reason), true);
    });
  }

  // ---- the relay's side (the connection already counts itself closed) ----

  private sendToDevice(bytes: Uint8Array): void {
    if (this.ended) return;
    this.network.send(this.down, this, () => this.socket.message(bytes));
  }

  private closeFromRelay(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.up.clear(this);
    this.network.send(this.down, this, () => this.socket.closed(code, reason));
  }

  /**
   * Breaks the connection: whatever was on the way either way is lost, the relay drops its side
   * at once, and the device sees a close with 1006 on the next delivery, held or not.
   */
  cut(): void {
    if (this.ended) return;
    this.ended = true;
    this.down.clear(this);
    this.up.clear(this);
    this.connection?.ended();
    this.network.send(this.down, this, () => this.socket.closed(1006, ""), true);
  }
}
