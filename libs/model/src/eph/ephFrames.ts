import type { JobId, MessageId, RunId } from "../docs/ids.js";

// Type aliases, not interfaces: a frame must fit the engine's open payload type (`sendEph`).

/**
 * The eph frames peers send each other about a document ([K6]): never stored, sealed like
 * entries, read by whoever is online. One vocabulary for the agent that writes them and the
 * devices that read them; {@link readEphFrame} is the only way a received payload becomes one.
 */
export const EphType = {
  /** An agent's reply in progress: the run's whole state so far, numbered. */
  agentStream: "agent-stream",
  /** A person's Stop: the agent answering `message` (in `run`, when given) stops. */
  agentStop: "agent-stop",
  /** A running job's output so far, numbered. */
  jobStream: "job-stream",
} as const;
export type EphType = (typeof EphType)[keyof typeof EphType];

/** A tool call as an agent reports it while it runs. */
export type ToolFrame = {
  id: string;
  name: string;
  /** e.g. `start`, `result`; free text from the backend. */
  phase: string;
  summary?: string;
};

/**
 * The cumulative state of one reply: each frame carries all of it, so a device that joins
 * mid-stream shows the partial reply at once, and a frame with a lower `seq` is stale.
 */
export type AgentStreamFrame = {
  type: typeof EphType.agentStream;
  run: RunId;
  message: MessageId;
  seq: number;
  text?: string;
  reasoning?: string;
  /** The latest tool call (earlier ones were in earlier frames). */
  tool?: ToolFrame;
  done?: boolean;
  error?: string;
};

/** Stops the reply to `message` (only the run `run`, when given). */
export type AgentStopFrame = {
  type: typeof EphType.agentStop;
  message: MessageId;
  run?: RunId;
};

/** A running job's output so far. */
export type JobStreamFrame = {
  type: typeof EphType.jobStream;
  job: JobId;
  seq: number;
  text?: string;
  done?: boolean;
};

export type EphFrame = AgentStreamFrame | AgentStopFrame | JobStreamFrame;

/** The reason a reply stopped by the person is marked interrupted with. */
export const STOPPED_REASON = "you pressed Stop";

const isText = (v: unknown): v is string => typeof v === "string";
const isSeq = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/** Copies the optional fields that have the right type; drops the rest. */
function optional<T extends object>(into: T, from: Record<string, unknown>, fields: Partial<Record<keyof T, (v: unknown) => boolean>>): T {
  for (const [k, ok] of Object.entries(fields) as [string, (v: unknown) => boolean][]) {
    if (ok(from[k])) (into as Record<string, unknown>)[k] = from[k];
  }
  return into;
}

function readTool(v: unknown): ToolFrame | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  if (!isText(o["id"]) || !isText(o["name"])) return undefined;
  return optional<ToolFrame>({ id: o["id"], name: o["name"], phase: isText(o["phase"]) ? o["phase"] : "" }, o, { summary: isText });
}

/**
 * A received eph payload as a frame of the vocabulary, or undefined when it is none (an unknown
 * type, or a field missing or of the wrong type). Optional fields of the wrong type are dropped.
 */
export function readEphFrame(payload: Readonly<Record<string, unknown>>): EphFrame | undefined {
  switch (payload["type"]) {
    case EphType.agentStream: {
      const { run, message, seq } = payload;
      if (!isText(run) || !isText(message) || !isSeq(seq)) return undefined;
      const frame = optional<AgentStreamFrame>({ type: EphType.agentStream, run: run as RunId, message: message as MessageId, seq }, payload, {
        text: isText,
        reasoning: isText,
        done: (v) => v === true,
        error: isText,
      });
      const tool = readTool(payload["tool"]);
      if (tool !== undefined) frame.tool = tool;
      return frame;
    }
    case EphType.agentStop: {
      const { message, run } = payload;
      if (!isText(message)) return undefined;
      return { type: EphType.agentStop, message: message as MessageId, ...(isText(run) ? { run: run as RunId } : {}) };
    }
    case EphType.jobStream: {
      const { job, seq } = payload;
      if (!isText(job) || !isSeq(seq)) return undefined;
      return optional<JobStreamFrame>({ type: EphType.jobStream, job: job as JobId, seq }, payload, { text: isText, done: (v) => v === true });
    }
    default:
      return undefined;
  }
}
