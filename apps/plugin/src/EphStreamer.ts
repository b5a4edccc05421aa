import type { DocumentId } from "@botschat/model";

/** Sends one eph frame about a document; false when it could not go (offline). */
export type SendEph = (doc: DocumentId, payload: { type: string; [field: string]: unknown }) => boolean;

/**
 * Streams the cumulative state of one run as numbered eph frames (`seq` 1, 2, …), at most one per
 * `everyMs`: a burst of tokens becomes one frame with the latest state, so a long reply costs
 * frames per time, not per token. Every frame carries the whole state, so a device that joins
 * mid-stream shows the partial reply at once; `seq` lets it ignore frames that arrive late.
 */
export class EphStreamer {
  private seq = 0;
  private state: Record<string, unknown> = {};
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: SendEph,
    private readonly doc: DocumentId,
    private readonly head: { type: string; [field: string]: unknown },
    private readonly everyMs: number,
  ) {}

  /** Merges `fields` into the state and sends it now or at the end of the current interval. */
  push(fields: Record<string, unknown>): void {
    Object.assign(this.state, fields);
    if (this.timer !== undefined) return;
    const wait = this.lastSent + this.everyMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the state now (with `fields` merged in), cancelling a pending send. */
  flush(fields: Record<string, unknown> = {}): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    Object.assign(this.state, fields);
    this.seq += 1;
    this.lastSent = Date.now();
    this.send(this.doc, { ...this.head, seq: this.seq, ...this.state });
  }

  /** Stops a pending send without sending. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
