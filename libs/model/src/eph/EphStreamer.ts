import type { DocumentId } from "../docs/ids.js";
import type { AgentStreamFrame, EphFrame, JobStreamFrame, ToolFrame } from "./ephFrames.js";

/** Sends one eph frame about a document; false when it could not go (offline). */
export type SendEph = (doc: DocumentId, frame: EphFrame) => boolean;

/** What names a stream: its type and the run or job it is about. */
export type StreamHead = Pick<AgentStreamFrame, "type" | "run" | "message"> | Pick<JobStreamFrame, "type" | "job">;
/** The state a stream carries, as its producer pushes it: the whole text so far, the latest tool call, … */
export type StreamFields<H extends StreamHead> =
  H extends Pick<AgentStreamFrame, "type"> ? Pick<AgentStreamFrame, "text" | "reasoning" | "tool" | "done" | "error"> : Pick<JobStreamFrame, "text" | "done">;

/**
 * New text that makes a frame worth sending before the batch interval is over. A sealed frame is
 * padded to a multiple of 256 bytes and its head (document, run, number) takes about 125 of
 * them, so a frame of a few characters costs ~350 bytes on the wire, as much as one of 120.
 */
export const STREAM_FILL_BYTES = 120;
/**
 * How long new text waits for more before it goes anyway (ms): at a model's usual pace (~400
 * bytes/s) a frame then carries ~140 characters, and a watching device receives ~2.5× the reply
 * (decision 017).
 */
export const STREAM_BATCH_MS = 350;
/**
 * A keyframe goes once this much text was added since the last one, or as much as the last one
 * held, whichever is more: keyframes then cost at most about twice the reply, however long it is.
 * A device that joins midway or misses a frame does not wait for one: it asks (`stream-sync`).
 */
export const KEYFRAME_MIN_BYTES = 64 * 1024;
/** Keyframes asked for by devices (`stream-sync`): at most one per this many ms. */
export const SYNC_EVERY_MS = 500;

/** The fields that grow by appending: sent whole in keyframes, by what is new in other frames. */
const GROWING = ["text", "reasoning"] as const;
type Growing = (typeof GROWING)[number];

/**
 * Streams one run's or job's state as numbered eph frames. The first frame, and a keyframe now and
 * then (see {@link KEYFRAME_MIN_BYTES}, and when a device asks), carry the whole state; the others
 * only what is new since the previous frame, so the bytes sent grow with the reply. Frames go at
 * most one per `everyMs`; new text waits up to `batchMs` to fill a frame ({@link STREAM_FILL_BYTES}),
 * while a tool call, an error or a keyframe asked for go at the next `everyMs`.
 */
export class EphStreamer<H extends StreamHead> {
  private seq = 0;
  /** The whole state of the growing fields, as pushed. */
  private readonly state: Partial<Record<Growing, string>> = {};
  /** The growing fields as the last frame left them on the devices. */
  private sent: Partial<Record<Growing, string>> = {};
  /** Every tool call so far, at its latest phase (keyframes carry them all). */
  private readonly tools = new Map<string, ToolFrame>();
  /** Other fields pushed since the last frame (the latest tool call, done, error). */
  private changed: Record<string, unknown> = {};
  private addedSinceKey = 0;
  private lastKeySize = 0;
  private keyWanted = false;
  private lastAsked = -Infinity;
  private lastSent = -Infinity;
  /** A frame said `done`: the reply or output is in its document now, nothing more is sent unasked. */
  private ended = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: SendEph,
    private readonly doc: DocumentId,
    private readonly head: H,
    private readonly everyMs: number,
    private readonly batchMs: number = STREAM_BATCH_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Merges `fields` into the state; the first push is sent at once, the others when the pace allows. */
  push(fields: Partial<StreamFields<H>>): void {
    this.merge(fields);
    if (this.seq === 0) this.flush();
    else this.schedule();
  }

  /** Sends a frame now (with `fields` merged in), cancelling a pending one. */
  flush(fields: Partial<StreamFields<H>> = {}): void {
    this.cancel();
    this.merge(fields);
    this.seq += 1;
    this.lastSent = this.now();
    this.send(this.doc, this.frame());
  }

  /** A device asked for a keyframe: it goes with the next frame, at most one per {@link SYNC_EVERY_MS}. */
  requestKeyframe(): void {
    if (this.ended) return;
    const t = this.now();
    if (t - this.lastAsked < SYNC_EVERY_MS) return;
    this.lastAsked = t;
    this.keyWanted = true;
    if (this.seq > 0) this.schedule();
  }

  /** Stops a pending send without sending. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private merge(fields: Partial<StreamFields<H>>): void {
    for (const [k, v] of Object.entries(fields) as [string, unknown][]) {
      if (v === undefined) continue;
      if ((GROWING as readonly string[]).includes(k)) this.state[k as Growing] = v as string;
      else this.changed[k] = v;
      if (k === "tool") this.tools.set((v as ToolFrame).id, v as ToolFrame);
    }
  }

  /** Bytes of new text not sent yet; a field that did not grow (it was rewritten) counts as a full frame. */
  private pending(): number {
    let bytes = 0;
    for (const k of GROWING) {
      const now = this.state[k];
      const before = this.sent[k] ?? "";
      if (now === undefined || now === before) continue;
      bytes += now.startsWith(before) ? now.length - before.length : STREAM_FILL_BYTES;
    }
    return bytes;
  }

  private schedule(): void {
    const pending = this.pending();
    const urgent = this.keyWanted || Object.keys(this.changed).length > 0 || pending >= STREAM_FILL_BYTES;
    if (!urgent && pending === 0) return;
    const wait = this.lastSent + (urgent ? this.everyMs : this.batchMs) - this.now();
    this.cancel();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The next frame: a keyframe when one is due, else what is new. */
  private frame(): EphFrame {
    const rewritten = GROWING.some((k) => this.state[k] !== undefined && !this.state[k]!.startsWith(this.sent[k] ?? ""));
    const key = this.seq === 1 || this.keyWanted || rewritten || this.addedSinceKey + this.pending() >= Math.max(KEYFRAME_MIN_BYTES, this.lastKeySize);
    const f: Record<string, unknown> = { ...this.head, seq: this.seq };
    if (key) {
      f["key"] = true;
      let size = 0;
      for (const k of GROWING) {
        const v = this.state[k];
        if (v === undefined) continue;
        f[k] = v;
        size += v.length;
      }
      if (this.tools.size > 0) f["tools"] = [...this.tools.values()];
      this.lastKeySize = size;
      this.addedSinceKey = 0;
      this.keyWanted = false;
    } else {
      // The run names the stream; its keyframes say which message it answers.
      delete f["message"];
      for (const k of GROWING) {
        const add = (this.state[k] ?? "").slice((this.sent[k] ?? "").length);
        if (add === "") continue;
        f[`${k}Add`] = add;
        this.addedSinceKey += add.length;
      }
    }
    const { tool, ...rest } = this.changed;
    if (tool !== undefined && !key) f["tool"] = tool;
    Object.assign(f, rest);
    if (f["done"] === true) this.ended = true;
    this.sent = { ...this.state };
    this.changed = {};
    return f as EphFrame;
  }
}
