import type { DocumentId, MessageId } from "@botschat/model";
import type { StreamView, ToolActivity } from "../shared/views.js";

/** The eph frame type of an agent's reply in progress (apps/plugin `AGENT_STREAM`). */
export const AGENT_STREAM = "agent-stream";
/** The eph frame type a person's "Stop" sends to the agent answering a message. */
export const AGENT_STOP = "agent-stop";

/** How long a finished stream is kept so a late-joining view still sees its end. */
const KEEP_DONE_MS = 60_000;

/**
 * Folds numbered eph frames of agent replies into one {@link StreamView} per run: each frame
 * carries the run's whole state so far, older frames (lower `seq`) are ignored, tool calls are
 * kept by id so each shows its latest phase.
 */
export class StreamTracker {
  private readonly streams = new Map<string, StreamView>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Applies one eph payload; answers the updated stream, or undefined if the frame was not news. */
  apply(doc: DocumentId, payload: Record<string, unknown>): StreamView | undefined {
    if (payload["type"] !== AGENT_STREAM) return undefined;
    const run = payload["run"];
    const message = payload["message"];
    const seq = payload["seq"];
    if (typeof run !== "string" || typeof message !== "string" || typeof seq !== "number") return undefined;
    this.sweep();
    const key = `${doc}|${run}`;
    const prev = this.streams.get(key);
    if (prev !== undefined && prev.seq >= seq) return undefined;
    const tools = [...(prev?.tools ?? [])];
    const tool = toolOf(payload["tool"]);
    if (tool !== undefined) {
      const at = tools.findIndex((t) => t.id === tool.id);
      if (at >= 0) tools[at] = tool;
      else tools.push(tool);
    }
    const next: StreamView = {
      doc,
      message: message as MessageId,
      run,
      seq,
      text: typeof payload["text"] === "string" ? payload["text"] : (prev?.text ?? ""),
      reasoning: typeof payload["reasoning"] === "string" ? payload["reasoning"] : (prev?.reasoning ?? ""),
      tools,
      done: payload["done"] === true,
      startedAt: prev?.startedAt ?? this.now(),
    };
    if (typeof payload["error"] === "string") next.error = payload["error"];
    this.streams.set(key, next);
    return next;
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

function toolOf(v: unknown): ToolActivity | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o["id"] !== "string" || typeof o["name"] !== "string") return undefined;
  const t: ToolActivity = { id: o["id"], name: o["name"], phase: typeof o["phase"] === "string" ? o["phase"] : "" };
  if (typeof o["summary"] === "string") t.summary = o["summary"];
  return t;
}
