import type { OutboxEntry } from "../storage/PeerStorage.js";

/** Appends in flight at once by default: enough to fill a fast link, small enough for a big offline backlog. */
export const MAX_IN_FLIGHT = 64;

/**
 * The engine's in-memory copy of the persisted outbox: entries in the order they were queued,
 * which of them were sent on the current connection, and which the relay already acknowledged
 * (they stay until their removal is committed, and are not sent again meanwhile).
 *
 * At most `maxInFlight` appends are unacknowledged at a time; each ack lets the next one go, so a
 * large offline backlog streams out instead of being written to the socket in one burst.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly inFlight = new Set<string>();
  private readonly acked = new Set<string>();

  constructor(private readonly maxInFlight = MAX_IN_FLIGHT) {}

  /** Whether appends are on their way, awaiting the relay's ack. */
  get sending(): boolean {
    return this.inFlight.size > 0;
  }

  /** Entries not yet removed (acknowledged ones included until their removal is committed). */
  get size(): number {
    return this.entries.size;
  }

  /** Queues entries after the ones already there. */
  add(entries: readonly OutboxEntry[]): void {
    for (const e of entries) this.entries.set(e.id, e);
  }

  /** Forgets entries whose removal was committed. */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      this.entries.delete(id);
      this.inFlight.delete(id);
      this.acked.delete(id);
    }
  }

  get(id: string): OutboxEntry | undefined {
    return this.entries.get(id);
  }

  /** The document's newest entry the relay has not acknowledged yet, if any. */
  latestFor(doc: string): OutboxEntry | undefined {
    let last: OutboxEntry | undefined;
    for (const e of this.entries.values()) if (e.doc === doc && !this.acked.has(e.id)) last = e;
    return last;
  }

  /** A new connection: nothing is in flight any more (unacknowledged entries go again, same ids). */
  resetInFlight(): void {
    this.inFlight.clear();
  }

  /** The relay acknowledged this append; returns its entry (undefined if unknown or already acked). */
  ack(id: string): OutboxEntry | undefined {
    this.inFlight.delete(id);
    const e = this.entries.get(id);
    if (!e || this.acked.has(id)) return undefined;
    this.acked.add(id);
    return e;
  }

  /** The relay refused this append for now: it may be sent again. */
  release(id: string): void {
    this.inFlight.delete(id);
  }

  /**
   * Sends the oldest entries that are neither in flight nor acknowledged, in queue order, until
   * `maxInFlight` are in flight or `send` returns false (the socket is gone).
   */
  pump(send: (entry: OutboxEntry) => boolean): void {
    if (this.inFlight.size >= this.maxInFlight) return;
    for (const e of this.entries.values()) {
      if (this.inFlight.has(e.id) || this.acked.has(e.id)) continue;
      if (!send(e)) return;
      this.inFlight.add(e.id);
      if (this.inFlight.size >= this.maxInFlight) return;
    }
  }
}
