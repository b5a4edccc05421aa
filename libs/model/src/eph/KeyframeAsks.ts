import type { EphFrame } from "./ephFrames.js";
import { EphType } from "./ephFrames.js";
import type { AgentStreamState, JobStreamState } from "./foldStreams.js";

/** How often a device that is behind on a stream asks again for a keyframe (an ask, as any eph frame, may be lost). */
export const KEYFRAME_ASK_EVERY_MS = 1000;

/**
 * A device's asks for keyframes: for a stream it is behind on (joined midway, or a frame missed),
 * {@link askFor} answers the `stream-sync` frame to send, at most one per
 * {@link KEYFRAME_ASK_EVERY_MS} per stream, and nothing for a stream that is not behind or ended.
 */
export class KeyframeAsks {
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  askFor(state: AgentStreamState | JobStreamState): EphFrame | undefined {
    const key = "run" in state ? `run|${state.run}` : `job|${state.job}`;
    if (state.behind !== true || state.done) {
      this.last.delete(key);
      return undefined;
    }
    const t = this.now();
    if (t - (this.last.get(key) ?? -Infinity) < KEYFRAME_ASK_EVERY_MS) return undefined;
    this.last.set(key, t);
    // Streams that end unseen leave their key: a device follows a handful at a time.
    if (this.last.size > 256) this.last.delete(this.last.keys().next().value!);
    return "run" in state ? { type: EphType.streamSync, run: state.run } : { type: EphType.streamSync, job: state.job };
  }
}
