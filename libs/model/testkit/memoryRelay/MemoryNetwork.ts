/** Which way a delivery goes: to the device (`down`) or to the relay (`up`). */
export const Direction = { down: "down", up: "up" } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

interface Delivery {
  /** Send order across the whole network. */
  order: number;
  run: () => void;
  /** The socket it belongs to (its wire), so a broken connection takes only its own deliveries. */
  owner: object;
  /** Delivered even while its lane is held: a device notices a refused or broken connection at once. */
  force: boolean;
}

/**
 * One direction of one device's network path (its line): everything its sockets send that way,
 * in send order. One path keeps its order across its sockets, so a device's old connection never
 * overtakes its newer one.
 */
export class Lane {
  readonly items: Delivery[] = [];

  constructor(
    readonly direction: Direction,
    /** Whether this lane is held now. */
    readonly held: () => boolean,
  ) {}

  /** Forgets what one socket still had on the way (its connection is gone). */
  clear(owner: object): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i]!.owner === owner) this.items.splice(i, 1);
  }
}

/**
 * The network between a {@link MemoryRelay} and its devices: every frame, opening and closing
 * travels as a delivery on a lane, and deliveries run on a later task, never inside the call that
 * sent them. Each run delivers what was sent before it started; what those deliveries send goes
 * on the next run.
 *
 * A lane keeps its order (as TCP does, and [O1] needs). Lanes interleave in send order or, after
 * {@link MemoryNetwork.reorder}, in the order a seeded random picks. A held lane waits, except
 * for a refused or broken connection, which its device notices at once.
 */
export class MemoryNetwork {
  private readonly lanes = new Set<Lane>();
  private order = 0;
  private scheduled = false;
  private random: (() => number) | undefined;
  private idleWaiters: (() => void)[] = [];

  /** Interleaves lanes in the order `random` picks (a seeded generator replays it); undefined: send order. */
  reorder(random: (() => number) | undefined): void {
    this.random = random;
  }

  /** The generator given to {@link MemoryNetwork.reorder}, if any. */
  get shuffle(): (() => number) | undefined {
    return this.random;
  }

  send(lane: Lane, owner: object, run: () => void, force = false): void {
    lane.items.push({ order: this.order++, run, owner, force });
    this.lanes.add(lane);
    this.schedule();
  }

  /** Runs deliveries again soon (a lane was released). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.run(), 0);
  }

  /** Whether nothing can be delivered now (held lanes may still hold deliveries). */
  get idle(): boolean {
    return !this.scheduled && this.next(Number.POSITIVE_INFINITY) === undefined;
  }

  /** Resolves once nothing can be delivered (checked after each run). */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private run(): void {
    this.scheduled = false;
    const limit = this.order;
    for (let due = this.next(limit); due; due = this.next(limit)) due.lane.items.splice(due.index, 1)[0]!.run();
    for (const lane of this.lanes) if (lane.items.length === 0) this.lanes.delete(lane);
    if (this.next(Number.POSITIVE_INFINITY)) this.schedule();
    else for (const w of this.idleWaiters.splice(0)) w();
  }

  /** The delivery that goes next among those sent before `limit`: each lane's first (a held lane's first forced one). */
  private next(limit: number): { lane: Lane; index: number } | undefined {
    const ready: { lane: Lane; index: number }[] = [];
    for (const lane of this.lanes) {
      const index = lane.held() ? lane.items.findIndex((d) => d.force) : lane.items.length > 0 ? 0 : -1;
      if (index >= 0 && lane.items[index]!.order < limit) ready.push({ lane, index });
    }
    if (ready.length === 0) return undefined;
    if (this.random) return ready[Math.floor(this.random() * ready.length)];
    return ready.reduce((a, b) => (b.lane.items[b.index]!.order < a.lane.items[a.index]!.order ? b : a));
  }
}
