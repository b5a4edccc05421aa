import { EphType, foldJobStream, KeyframeAsks, readEphFrame, type DocumentId, type EphFrame } from "@botschat/model";
import type { JobStreamView } from "../shared/views.js";

/** How long a finished job's stream is kept for a view that opens late. */
const KEEP_DONE_MS = 60_000;
/** Streams kept at most (a workspace runs a handful of jobs at a time). */
const KEEP_AT_MOST = 64;

/**
 * Folds the numbered eph frames of running jobs into one {@link JobStreamView} per job (older
 * frames, with a lower `seq`, are ignored); for an output joined midway, or with a frame missed,
 * asks the agent for a keyframe (`ask`).
 */
export class JobStreams {
  private readonly streams = new Map<string, { view: JobStreamView; at: number }>();
  private readonly asks: KeyframeAsks;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ask: (doc: DocumentId, frame: EphFrame) => void = () => {},
  ) {
    this.asks = new KeyframeAsks(now);
  }

  /** Applies one eph payload; answers the updated stream, or undefined if it was not news. */
  apply(doc: DocumentId, payload: Readonly<Record<string, unknown>>): JobStreamView | undefined {
    const frame = readEphFrame(payload);
    if (frame?.type !== EphType.jobStream) return undefined;
    const key = `${doc}|${frame.job}`;
    const next = foldJobStream(this.streams.get(key)?.view, frame);
    if (next === undefined) return undefined;
    const view: JobStreamView = { ...next, doc };
    this.streams.delete(key);
    this.streams.set(key, { view, at: this.now() });
    this.sweep();
    const sync = this.asks.askFor(next);
    if (sync !== undefined) this.ask(doc, sync);
    return view;
  }

  /** The streams about one job log. */
  of(doc: DocumentId): JobStreamView[] {
    return [...this.streams.values()].filter((s) => s.view.doc === doc).map((s) => s.view);
  }

  private sweep(): void {
    const cutoff = this.now() - KEEP_DONE_MS;
    for (const [k, s] of this.streams) if (s.view.done && s.at < cutoff) this.streams.delete(k);
    // Oldest first: a stream that never said "done" (its agent went away) goes eventually.
    for (const k of this.streams.keys()) {
      if (this.streams.size <= KEEP_AT_MOST) break;
      this.streams.delete(k);
    }
  }
}
