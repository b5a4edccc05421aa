import { EphType, foldAgentStream, KeyframeAsks, readEphFrame, type DocumentId, type EphFrame } from "@botschat/model";
import type { StreamView } from "../shared/views.js";

/** How long a finished stream is kept so a late-joining view still sees its end. */
const KEEP_DONE_MS = 60_000;

/**
 * Folds the agent-stream eph frames of agent replies into one {@link StreamView} per run; for a
 * reply joined midway, or with a frame missed, asks the agent for a keyframe (`ask`).
 */
export class StreamTracker {
  private readonly streams = new Map<string, StreamView>();
  private readonly asks: KeyframeAsks;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ask: (doc: DocumentId, frame: EphFrame) => void = () => {},
  ) {
    this.asks = new KeyframeAsks(now);
  }

  /** Applies one eph payload; answers the updated stream, or undefined if the frame was not news. */
  apply(doc: DocumentId, payload: Readonly<Record<string, unknown>>): StreamView | undefined {
    const frame = readEphFrame(payload);
    if (frame?.type !== EphType.agentStream) return undefined;
    this.sweep();
    const key = `${doc}|${frame.run}`;
    const prev = this.streams.get(key);
    const next = foldAgentStream(prev, frame);
    if (next === undefined) return undefined;
    const view: StreamView = { ...next, doc, startedAt: prev?.startedAt ?? this.now() };
    this.streams.set(key, view);
    const sync = this.asks.askFor(next);
    if (sync !== undefined) this.ask(doc, sync);
    return view;
  }

  /** The streams about one document. */
  of(doc: DocumentId): StreamView[] {
    return [...this.streams.values()].filter((s) => s.doc === doc);
  }

  private sweep(): void {
    const cutoff = this.now() - KEEP_DONE_MS;
    for (const [k, s] of this.streams) if (s.done && s.startedAt < cutoff) this.streams.delete(k);
  }
}
