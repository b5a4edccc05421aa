import { describe, expect, it } from "vitest";
import type { JobId, MessageId, RunId } from "../docs/ids.js";
import { readEphFrame } from "./ephFrames.js";
import { foldAgentStream, foldJobStream } from "./foldStreams.js";

describe("readEphFrame", () => {
  it("reads each frame of the vocabulary, keeping well-typed optional fields and dropping the rest", () => {
    expect(
      readEphFrame({ type: "agent-stream", run: "r", message: "m", seq: 2, text: "hi", done: "yes", tool: { id: "t", name: "search" }, extra: 1 }),
    ).toEqual({
      type: "agent-stream",
      run: "r",
      message: "m",
      seq: 2,
      text: "hi",
      tool: { id: "t", name: "search", phase: "" },
    });
    expect(readEphFrame({ type: "agent-stop", message: "m", run: 5 })).toEqual({ type: "agent-stop", message: "m" });
    expect(readEphFrame({ type: "job-stream", job: "j", seq: 1, text: "out", done: true })).toEqual({
      type: "job-stream",
      job: "j",
      seq: 1,
      text: "out",
      done: true,
    });
  });

  it("reads keyframes, what is new, every tool call of a keyframe, and a device's ask for a keyframe", () => {
    expect(
      readEphFrame({ type: "agent-stream", run: "r", message: "m", seq: 3, key: true, text: "ab", tools: [{ id: "t", name: "search", phase: "end" }] }),
    ).toEqual({ type: "agent-stream", run: "r", message: "m", seq: 3, key: true, text: "ab", tools: [{ id: "t", name: "search", phase: "end" }] });
    expect(readEphFrame({ type: "agent-stream", run: "r", message: "m", seq: 4, key: 1, textAdd: "c", reasoningAdd: "d", tools: [{ id: 5 }] })).toEqual({
      type: "agent-stream",
      run: "r",
      message: "m",
      seq: 4,
      textAdd: "c",
      reasoningAdd: "d",
    });
    expect(readEphFrame({ type: "job-stream", job: "j", seq: 2, textAdd: "more" })).toEqual({ type: "job-stream", job: "j", seq: 2, textAdd: "more" });
    expect(readEphFrame({ type: "stream-sync", run: "r" })).toEqual({ type: "stream-sync", run: "r" });
    expect(readEphFrame({ type: "stream-sync", job: "j" })).toEqual({ type: "stream-sync", job: "j" });
    expect(readEphFrame({ type: "stream-sync", run: "r", job: "j" })).toBeUndefined();
    expect(readEphFrame({ type: "stream-sync" })).toBeUndefined();
  });

  it("refuses an unknown type and a frame missing a field it needs", () => {
    expect(readEphFrame({ type: "typing" })).toBeUndefined();
    // A keyframe names the message; other frames may leave it to the run's keyframes.
    expect(readEphFrame({ type: "agent-stream", run: "r", seq: 1, key: true, text: "a" })).toBeUndefined();
    expect(readEphFrame({ type: "agent-stream", run: "r", seq: 2, textAdd: "b" })).toEqual({ type: "agent-stream", run: "r", seq: 2, textAdd: "b" });
    expect(readEphFrame({ type: "agent-stream", message: "m", seq: 1 })).toBeUndefined();
    expect(readEphFrame({ type: "agent-stream", run: "r", message: "m", seq: 0 })).toBeUndefined();
    expect(readEphFrame({ type: "agent-stream", run: "r", message: "m", seq: 1.5 })).toBeUndefined();
    expect(readEphFrame({ type: "agent-stop" })).toBeUndefined();
    expect(readEphFrame({ type: "job-stream", job: "j" })).toBeUndefined();
  });
});

describe("folding streams", () => {
  const run = "r" as RunId;
  const message = "m" as MessageId;

  it("a reply keeps the newest state, ignores stale frames, and shows each tool once at its latest phase", () => {
    let s = foldAgentStream(undefined, { type: "agent-stream", run, message, seq: 1, text: "a", tool: { id: "t1", name: "search", phase: "start" } })!;
    s = foldAgentStream(s, {
      type: "agent-stream",
      run,
      message,
      seq: 3,
      text: "abc",
      tool: { id: "t1", name: "search", phase: "result", summary: "3 hits" },
    })!;
    expect(foldAgentStream(s, { type: "agent-stream", run, message, seq: 2, text: "ab" })).toBeUndefined();
    s = foldAgentStream(s, { type: "agent-stream", run, message, seq: 4, reasoning: "why", done: true, error: "stopped" })!;
    expect(s).toEqual({
      run,
      message,
      seq: 4,
      text: "abc",
      reasoning: "why",
      tools: [{ id: "t1", name: "search", phase: "result", summary: "3 hits" }],
      done: true,
      error: "stopped",
    });
  });

  it("a frame from an agent before keyframes (the whole text, no key) still shows", () => {
    let s = foldAgentStream(undefined, { type: "agent-stream", run, message, seq: 1, text: "a" })!;
    s = foldAgentStream(s, { type: "agent-stream", run, message, seq: 3, text: "abc" })!;
    expect(s).toMatchObject({ text: "abc", seq: 3 });
    expect(s.behind).toBeUndefined();
  });

  it("a keyframe replaces the tool calls with its own list", () => {
    let s = foldAgentStream(undefined, { type: "agent-stream", run, message, seq: 2, textAdd: "x", tool: { id: "t2", name: "b", phase: "start" } })!;
    expect(s).toMatchObject({ text: "", behind: true });
    s = foldAgentStream(s, {
      type: "agent-stream",
      run,
      message,
      seq: 3,
      key: true,
      text: "xy",
      tools: [
        { id: "t1", name: "a", phase: "end" },
        { id: "t2", name: "b", phase: "end" },
      ],
    })!;
    expect(s.tools.map((t) => `${t.id}:${t.phase}`)).toEqual(["t1:end", "t2:end"]);
    expect(s).toMatchObject({ text: "xy" });
    expect(s.behind).toBeUndefined();
  });

  it("a job's output keeps the newest text", () => {
    const job = "j" as JobId;
    const s = foldJobStream(undefined, { type: "job-stream", job, seq: 1, text: "a" })!;
    expect(foldJobStream(s, { type: "job-stream", job, seq: 1, text: "b" })).toBeUndefined();
    expect(foldJobStream(s, { type: "job-stream", job, seq: 2, done: true })).toEqual({ job, seq: 2, text: "a", done: true });
  });
});
