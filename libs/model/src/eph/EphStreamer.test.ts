import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DocumentId, JobId, MessageId, RunId } from "../docs/ids.js";
import type { AgentStreamFrame, EphFrame, JobStreamFrame } from "./ephFrames.js";
import { EphStreamer, KEYFRAME_MIN_BYTES, STREAM_BATCH_MS, STREAM_FILL_BYTES, SYNC_EVERY_MS } from "./EphStreamer.js";
import { type AgentStreamState, foldAgentStream, foldJobStream, type JobStreamState } from "./foldStreams.js";

const head = { type: "agent-stream", run: "r" as RunId, message: "m" as MessageId } as const;
/** The head of a frame that is not a keyframe: the run's keyframes name the message. */
const delta = { type: "agent-stream", run: "r" as RunId } as const;
const EVERY = 30;

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

function streamer() {
  const sent: AgentStreamFrame[] = [];
  const s = new EphStreamer((_doc, f) => sent.push(f as AgentStreamFrame) > 0, "doc" as DocumentId, head, EVERY);
  return { s, sent };
}

/** What a device that saw `frames` shows. */
function fold(frames: readonly AgentStreamFrame[]): AgentStreamState | undefined {
  let state: AgentStreamState | undefined;
  for (const f of frames) state = foldAgentStream(state, f) ?? state;
  return state;
}

describe("EphStreamer", () => {
  it("sends the first push at once as a keyframe, then only what is new, batched", () => {
    const { s, sent } = streamer();
    s.push({ text: "Hel" });
    expect(sent).toEqual([{ ...head, seq: 1, key: true, text: "Hel" }]);
    s.push({ text: "Hello" });
    s.push({ reasoning: "why" });
    s.push({ text: "Hello, wor" });
    vi.advanceTimersByTime(STREAM_BATCH_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent[1]).toEqual({ ...delta, seq: 2, textAdd: "lo, wor", reasoningAdd: "why" });
    s.flush({ text: "Hello, world", done: true });
    expect(sent[2]).toEqual({ ...delta, seq: 3, textAdd: "ld", done: true });
    expect(fold(sent)).toMatchObject({ text: "Hello, world", reasoning: "why", done: true });
    expect(fold(sent)?.behind).toBeUndefined();
  });

  it("sends a frame full of new text, a tool call or an error without waiting out the batch", () => {
    const { s, sent } = streamer();
    s.push({ text: "a" });
    s.push({ text: "a" + "x".repeat(STREAM_FILL_BYTES) });
    vi.advanceTimersByTime(EVERY);
    expect(sent).toHaveLength(2);
    s.push({ tool: { id: "t1", name: "search", phase: "start" } });
    vi.advanceTimersByTime(EVERY);
    expect(sent[2]).toEqual({ ...delta, seq: 3, tool: { id: "t1", name: "search", phase: "start" } });
  });

  it("sends a keyframe when the text was rewritten rather than grown", () => {
    const { s, sent } = streamer();
    s.push({ text: "draft one" });
    s.flush({ text: "final answer", done: true });
    expect(sent[1]).toEqual({ ...head, seq: 2, key: true, text: "final answer", done: true });
  });

  it("sends a keyframe, with every tool call, when a device asks; at most one per interval, none after done", () => {
    const { s, sent } = streamer();
    s.push({ text: "abc", tool: { id: "t1", name: "search", phase: "start" } });
    s.push({ tool: { id: "t1", name: "search", phase: "result", summary: "3 hits" } });
    vi.advanceTimersByTime(EVERY);
    s.push({ text: "abcdef" });
    s.requestKeyframe();
    vi.advanceTimersByTime(EVERY);
    expect(sent.at(-1)).toEqual({ ...head, seq: 3, key: true, text: "abcdef", tools: [{ id: "t1", name: "search", phase: "result", summary: "3 hits" }] });
    s.requestKeyframe();
    s.push({ text: "abcdefg" });
    vi.advanceTimersByTime(STREAM_BATCH_MS);
    expect(sent.at(-1)).toEqual({ ...delta, seq: 4, textAdd: "g" });
    vi.advanceTimersByTime(SYNC_EVERY_MS);
    s.flush({ done: true });
    s.requestKeyframe();
    vi.advanceTimersByTime(SYNC_EVERY_MS);
    expect(sent.at(-1)).toEqual({ ...delta, seq: 5, done: true });
  });

  it("costs about the reply, not its square: a 20 KB reply at 50 tokens/s, every frame folded on a device", () => {
    const { s, sent } = streamer();
    let text = "";
    let tokens = 0;
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    while (text.length < 20_000) {
      text += "word".slice(0, 1 + Math.floor(rand() * 4)) + (rand() < 0.2 ? ".\n" : " ");
      s.push({ text });
      tokens += 1;
      vi.advanceTimersByTime(20);
    }
    s.flush({ text, done: true });
    const carried = sent.reduce((n, f) => n + (f.text?.length ?? 0) + (f.textAdd?.length ?? 0), 0);
    const keyframes = sent.filter((f) => f.key === true).length;
    expect(fold(sent)?.text).toBe(text);
    // The text once, plus keyframes that together hold less than twice the reply.
    expect(carried).toBeLessThanOrEqual(3 * text.length);
    expect(keyframes).toBeLessThanOrEqual(3);
    // About two frames a second at this pace, not one per token.
    const seconds = (tokens * 20) / 1000;
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(seconds * (1000 / STREAM_BATCH_MS)) + 2);
  });

  it("a device that missed a frame stays where it was until a keyframe, which it asks for", () => {
    const { s, sent } = streamer();
    s.push({ text: "one " });
    for (const t of ["one two ", "one two three ", "one two three four "]) {
      s.push({ text: t });
      vi.advanceTimersByTime(STREAM_BATCH_MS);
    }
    const missed = [sent[0]!, sent[2]!, sent[3]!];
    expect(fold(missed)).toMatchObject({ text: "one ", behind: true, seq: 4 });
    s.requestKeyframe();
    s.push({ text: "one two three four five" });
    vi.advanceTimersByTime(EVERY);
    expect(fold([...missed, sent[4]!])).toMatchObject({ text: "one two three four five", seq: 5 });
    expect(fold([...missed, sent[4]!])?.behind).toBeUndefined();
    // Joined midway: nothing shown until the keyframe, then all of it.
    expect(fold([sent[3]!])).toMatchObject({ text: "", behind: true });
    expect(fold([sent[3]!, sent[4]!])?.text).toBe("one two three four five");
  });

  it("streams a job's output the same way", () => {
    const sent: JobStreamFrame[] = [];
    const job = { type: "job-stream", job: "j" as JobId } as const;
    const s = new EphStreamer((_d, f: EphFrame) => sent.push(f as JobStreamFrame) > 0, "doc" as DocumentId, job, EVERY);
    s.push({ text: "line 1\n" });
    s.push({ text: "line 1\nline 2\n" });
    vi.advanceTimersByTime(STREAM_BATCH_MS);
    s.flush({ done: true });
    expect(sent).toEqual([
      { ...job, seq: 1, key: true, text: "line 1\n" },
      { ...job, seq: 2, textAdd: "line 2\n" },
      { ...job, seq: 3, done: true },
    ]);
    let state: JobStreamState | undefined;
    for (const f of sent) state = foldJobStream(state, f) ?? state;
    expect(state).toEqual({ job: "j", seq: 3, text: "line 1\nline 2\n", done: true });
  });

  it("keyframes grow apart as the reply grows", () => {
    const { s, sent } = streamer();
    let text = "";
    while (text.length < 8 * KEYFRAME_MIN_BYTES) {
      text += "x".repeat(1000);
      s.push({ text });
      vi.advanceTimersByTime(STREAM_BATCH_MS);
    }
    const keys = sent.filter((f) => f.key === true).map((f) => f.text!.length);
    // Each keyframe holds at least twice the one before: their sum stays under twice the reply.
    for (let i = 2; i < keys.length; i++) expect(keys[i]!).toBeGreaterThanOrEqual(2 * keys[i - 1]!);
    expect(keys.reduce((a, b) => a + b, 0)).toBeLessThan(2 * text.length);
  });

  it("cancel drops a pending frame", () => {
    const { s, sent } = streamer();
    s.push({ text: "a" });
    s.push({ text: "ab" });
    s.cancel();
    vi.advanceTimersByTime(STREAM_BATCH_MS * 2);
    expect(sent).toHaveLength(1);
  });
});
