import type { JobId, MessageId, RunId } from "../docs/ids.js";
import type { AgentStreamFrame, JobStreamFrame, ToolFrame } from "./ephFrames.js";

/** What a device shows of a reply in progress: the frames of one run, folded. */
export type AgentStreamState = {
  run: RunId;
  /** The message the run answers ("" until a frame named it: a stream joined midway). */
  message: MessageId;
  seq: number;
  text: string;
  reasoning: string;
  /** Each tool call once, in the order they began, at its latest phase. */
  tools: ToolFrame[];
  done: boolean;
  error?: string;
  /**
   * A frame was missed, or the stream was joined midway: what is shown stops growing until the
   * next keyframe (ask for one with a `stream-sync` frame).
   */
  behind?: true;
};

/** What a device shows of a running job's output. */
export type JobStreamState = { job: JobId; seq: number; text: string; done: boolean; behind?: true };

/** How a frame meets the state before it: whether what it adds can be added, and whether a frame is missing. */
function follows(prev: { seq: number; behind?: true } | undefined, f: { seq: number; key?: true }, adds: boolean): { add: boolean; behind: boolean } {
  if (f.key === true) return { add: false, behind: false };
  const next = prev !== undefined && f.seq === prev.seq + 1 && prev.behind !== true;
  return { add: next, behind: adds ? !next : prev?.behind === true };
}

/** `full` if the frame says the whole value, else the value grown by `add` where it follows, else as it was. */
function grown(before: string, full: string | undefined, add: string | undefined, follows: boolean): string {
  if (full !== undefined) return full;
  return add !== undefined && follows ? before + add : before;
}

/** The next state of a reply, or undefined when the frame is stale (its `seq` is not newer). */
export function foldAgentStream(prev: AgentStreamState | undefined, f: AgentStreamFrame): AgentStreamState | undefined {
  if (prev !== undefined && prev.seq >= f.seq) return undefined;
  const at = follows(prev, f, f.textAdd !== undefined || f.reasoningAdd !== undefined);
  const tools = f.key === true && f.tools !== undefined ? [...f.tools] : [...(prev?.tools ?? [])];
  if (f.tool !== undefined) {
    const i = tools.findIndex((t) => t.id === f.tool!.id);
    if (i >= 0) tools[i] = f.tool;
    else tools.push(f.tool);
  }
  const next: AgentStreamState = {
    run: f.run,
    message: f.message ?? prev?.message ?? ("" as MessageId),
    seq: f.seq,
    text: grown(prev?.text ?? "", f.text, f.textAdd, at.add),
    reasoning: grown(prev?.reasoning ?? "", f.reasoning, f.reasoningAdd, at.add),
    tools,
    done: f.done === true,
  };
  if (f.error !== undefined) next.error = f.error;
  if (at.behind) next.behind = true;
  return next;
}

/** The next state of a job's output, or undefined when the frame is stale. */
export function foldJobStream(prev: JobStreamState | undefined, f: JobStreamFrame): JobStreamState | undefined {
  if (prev !== undefined && prev.seq >= f.seq) return undefined;
  const at = follows(prev, f, f.textAdd !== undefined);
  const next: JobStreamState = { job: f.job, seq: f.seq, text: grown(prev?.text ?? "", f.text, f.textAdd, at.add), done: f.done === true };
  if (at.behind) next.behind = true;
  return next;
}
