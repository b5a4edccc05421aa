import type { JobId, MessageId, RunId } from "../docs/ids.js";

// Type aliases, not interfaces: a frame must fit the engine's open payload type (`sendEph`).

/**
 * The eph frames peers send each other about a document ([K6]): never stored, sealed like
 * entries, read by whoever is online. One vocabulary for the agent that writes them and the
 * devices that read them; {@link readEphFrame} is the only way a received payload becomes one.
 */
export const EphType = {
  /** An agent's reply in progress, numbered: what is new since the previous frame, or (a keyframe) all of it. */
  agentStream: "agent-stream",
  /** A person's Stop: the agent answering `message` (in `run`, when given) stops. */
  agentStop: "agent-stop",
  /** A running job's output, numbered like a reply's. */
  jobStream: "job-stream",
  /** A device that joined a stream midway, or missed a frame, asks for a keyframe. */
  streamSync: "stream-sync",
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
 * One frame of a reply in progress. Frames are numbered 1, 2, … per run. A keyframe (`key`, and
 * always the first) carries the whole state so far in `text`, `reasoning` and `tools`; any other
 * frame carries what follows the previous frame's state (`textAdd`, `reasoningAdd`, the latest
 * `tool`), so the bytes a watching device receives grow with the reply, not with its square; it
 * leaves out `message`, which the run's keyframes name (a frame's head is most of its size). A
 * device that missed a frame, or joined midway, waits for the next keyframe (and asks for one with
 * {@link StreamSyncFrame}). `text` or `reasoning` in a frame without `key` (agents from before
 * keyframes) replace the state as well.
 */
export type AgentStreamFrame = {
  type: typeof EphType.agentStream;
  run: RunId;
  /** The message the run answers: in keyframes (and frames of agents from before keyframes). */
  message?: MessageId;
  seq: number;
  key?: true;
  text?: string;
  textAdd?: string;
  reasoning?: string;
  reasoningAdd?: string;
  /** The latest tool call (earlier ones were in earlier frames). */
  tool?: ToolFrame;
  /** In a keyframe: every tool call so far, each at its latest phase. */
  tools?: ToolFrame[];
  done?: boolean;
  error?: string;
};

/** Stops the reply to `message` (only the run `run`, when given). */
export type AgentStopFrame = {
  type: typeof EphType.agentStop;
  message: MessageId;
  run?: RunId;
};

/** One frame of a running job's output: numbered, a keyframe or what is new, as a reply's. */
export type JobStreamFrame = {
  type: typeof EphType.jobStream;
  job: JobId;
  seq: number;
  key?: true;
  text?: string;
  textAdd?: string;
  done?: boolean;
};

/** Asks the agent streaming a reply (`run`) or a job's output (`job`) to send a keyframe soon. */
export type StreamSyncFrame = {
  type: typeof EphType.streamSync;
  run?: RunId;
  job?: JobId;
};

export type EphFrame = AgentStreamFrame | AgentStopFrame | JobStreamFrame | StreamSyncFrame;

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

const isKey = (v: unknown): boolean => v === true;

function readTools(v: unknown): ToolFrame[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const tools = v.map(readTool);
  return tools.every((t) => t !== undefined) ? (tools as ToolFrame[]) : undefined;
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
      if (!isText(run) || !isSeq(seq) || (payload["key"] === true && !isText(message))) return undefined;
      const frame = optional<AgentStreamFrame>({ type: EphType.agentStream, run: run as RunId, seq }, payload, {
        message: isText,
        key: isKey,
        text: isText,
        textAdd: isText,
        reasoning: isText,
        reasoningAdd: isText,
        done: (v) => v === true,
        error: isText,
      });
      const tool = readTool(payload["tool"]);
      if (tool !== undefined) frame.tool = tool;
      const tools = readTools(payload["tools"]);
      if (tools !== undefined) frame.tools = tools;
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
      return optional<JobStreamFrame>({ type: EphType.jobStream, job: job as JobId, seq }, payload, {
        key: isKey,
        text: isText,
        textAdd: isText,
        done: (v) => v === true,
      });
    }
    case EphType.streamSync: {
      const { run, job } = payload;
      if (isText(run) === isText(job)) return undefined;
      return isText(run) ? { type: EphType.streamSync, run: run as RunId } : { type: EphType.streamSync, job: job as JobId };
    }
    default:
      return undefined;
  }
}
