import type { SocketFactory } from "../../src/sync/SocketLike.js";
import { Direction, Lane } from "./MemoryNetwork.js";
import type { MemoryWire } from "./MemoryWire.js";

/** Which deliveries a hold stops. */
export type HoldDirection = Direction | "both";

/** What a {@link MemoryLine} needs of its relay. */
export interface LineRelay {
  /** Opens a socket to `url` for this line (refused when the line is offline or the relay down). */
  connect(line: MemoryLine, url: string): ReturnType<SocketFactory>;
  /** Answers a REST request made over this line. */
  request(line: MemoryLine, input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response>;
}

/**
 * One device's network connection to a {@link MemoryRelay}: the socket factory and `fetch` to
 * give its engine, and the faults to play on it. A line outlives the sockets it opens, so a peer
 * restarted on its storage with the same line keeps its network (and its faults).
 *
 * - {@link MemoryLine.hold} stops deliveries (to the device, to the relay, or both) until
 *   {@link MemoryLine.release}: a stalled link; nothing is lost, and the order is kept. A line is
 *   one path: what its sockets send one way arrives in send order, an old socket's frames never
 *   after a newer one's.
 * - {@link MemoryLine.drop} breaks the open sockets: whatever they still carried is lost, the relay
 *   drops its side at once, the device sees close 1006 and reconnects as it would.
 * - {@link MemoryLine.offline} drops and refuses new sockets and requests until {@link MemoryLine.online}.
 *
 * @example
 * const line = relay.line("phone");
 * const engine = new SyncEngine({ relayUrl: relay.url, token, storage, socket: line.socket, fetch: line.fetch });
 * line.hold("down"); // the phone's appends reach the relay; nothing reaches the phone
 */
export class MemoryLine {
  /** The sockets this line opened that are not over yet. */
  readonly wires = new Set<MemoryWire>();
  private heldDown = false;
  private heldUp = false;
  private isOffline = false;
  /** What this line's sockets carry to the device, in order. */
  readonly down = new Lane(Direction.down, () => this.heldDown);
  /** What they carry to the relay, in order. */
  readonly up = new Lane(Direction.up, () => this.heldUp);

  constructor(
    readonly name: string,
    private readonly relay: LineRelay,
    /** Called when a hold is released, so waiting deliveries go. */
    private readonly released: () => void,
  ) {}

  /** Opens a socket to the relay: pass it as the engine's `socket`. */
  readonly socket: SocketFactory = (url) => this.relay.connect(this, url);

  /** The relay's REST API over this line: pass it as the engine's `fetch`. */
  readonly fetch: typeof fetch = (input, init) => this.relay.request(this, input, init);

  /** Holds deliveries in `direction` (default both ways) until {@link MemoryLine.release}. */
  hold(direction: HoldDirection = "both"): void {
    if (direction !== Direction.up) this.heldDown = true;
    if (direction !== Direction.down) this.heldUp = true;
  }

  /** Lets held deliveries go, in their order. */
  release(): void {
    this.heldDown = false;
    this.heldUp = false;
    this.released();
  }

  /** Breaks every open socket of this line; returns how many there were. */
  drop(): number {
    const open = [...this.wires].filter((w) => !w.over);
    for (const w of open) w.cut();
    this.wires.clear();
    return open.length;
  }

  /** Drops the open sockets and refuses new sockets and requests until {@link MemoryLine.online}. */
  offline(): void {
    this.isOffline = true;
    this.drop();
  }

  online(): void {
    this.isOffline = false;
  }

  get reachable(): boolean {
    return !this.isOffline;
  }

  /** How many sockets of this line are open or opening. */
  get openSockets(): number {
    return [...this.wires].filter((w) => !w.over).length;
  }
}
