import type { DocumentId } from "../docs/ids.js";
import type { AgentStreamFrame, EphFrame, JobStreamFrame } from "./ephFrames.js";

/** Sends one eph frame about a document; false when it could not go (offline). */
export type SendEph = (doc: DocumentId, frame: EphFrame) => boolean;

/** What names a stream: its type and the run or job it is about. */
export type StreamHead = Pick<AgentStreamFrame, "type" | "run" | "message"> | Pick<JobStreamFrame, "type" | "job">;
/** The state a stream carries, merged push by push. */
export type StreamFields<H extends StreamHead> =
  H extends Pick<AgentStreamFrame, "type"> ? Omit<AgentStreamFrame, "type" | "run" | "message" | "seq"> : Omit<JobStreamFrame, "type" | "job" | "seq">;

/**
 * Streams the cumulative state of one run or job as numbered eph frames (`seq` 1, 2, …), at most
 * one per `everyMs`: a burst of tokens becomes one frame with the latest state, so a long reply
 * costs frames per time, not per token. Every frame carries the whole state (see
 * `foldAgentStream`), so a device that joins mid-stream shows it at once.
 */
export class EphStreamer<H extends StreamHead> {
  private seq = 0;
  private state: Partial<StreamFields<H>> = {};
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: SendEph,
    private readonly doc: DocumentId,
    private readonly head: H,
    private readonly everyMs: number,
  ) {}

  /** Merges `fields` into the state and sends it now or at the end of the current interval. */
  push(fields: Partial<StreamFields<H>>): void {
    Object.assign(this.state, fields);
    if (this.timer !== undefined) return;
    const wait = this.lastSent + this.everyMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the state now (with `fields` merged in), cancelling a pending send. */
  flush(fields: Partial<StreamFields<H>> = {}): void {
    this.cancel();
    Object.assign(this.state, fields);
    this.seq += 1;
    this.lastSent = Date.now();
    this.send(this.doc, { ...this.head, seq: this.seq, ...this.state } as EphFrame);
  }

  /** Stops a pending send without sending. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
