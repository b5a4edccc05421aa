import type { JobId, MessageId, RunId } from "../docs/ids.js";
import type { AgentStreamFrame, JobStreamFrame, ToolFrame } from "./ephFrames.js";

/** What a device shows of a reply in progress: the frames of one run, folded. */
export type AgentStreamState = {
  run: RunId;
  message: MessageId;
  seq: number;
  text: string;
  reasoning: string;
  /** Each tool call once, in the order they began, at its latest phase. */
  tools: ToolFrame[];
  done: boolean;
  error?: string;
};

/** What a device shows of a running job's output. */
export type JobStreamState = { job: JobId; seq: number; text: string; done: boolean };

/** The next state of a reply, or undefined when the frame is stale (its `seq` is not newer). */
export function foldAgentStream(prev: AgentStreamState | undefined, f: AgentStreamFrame): AgentStreamState | undefined {
  if (prev !== undefined && prev.seq >= f.seq) return undefined;
  const tools = [...(prev?.tools ?? [])];
  if (f.tool !== undefined) {
    const at = tools.findIndex((t) => t.id === f.tool!.id);
    if (at >= 0) tools[at] = f.tool;
    else tools.push(f.tool);
  }
  const next: AgentStreamState = {
    run: f.run,
    message: f.message,
    seq: f.seq,
    text: f.text ?? prev?.text ?? "",
    reasoning: f.reasoning ?? prev?.reasoning ?? "",
    tools,
    done: f.done === true,
  };
  if (f.error !== undefined) next.error = f.error;
  return next;
}

/** The next state of a job's output, or undefined when the frame is stale. */
export function foldJobStream(prev: JobStreamState | undefined, f: JobStreamFrame): JobStreamState | undefined {
  if (prev !== undefined && prev.seq >= f.seq) return undefined;
  return { job: f.job, seq: f.seq, text: f.text ?? prev?.text ?? "", done: f.done === true };
}
