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

  it("refuses an unknown type and a frame missing a field it needs", () => {
    expect(readEphFrame({ type: "typing" })).toBeUndefined();
    expect(readEphFrame({ type: "agent-stream", run: "r", seq: 1 })).toBeUndefined();
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

  it("a job's output keeps the newest text", () => {
    const job = "j" as JobId;
    const s = foldJobStream(undefined, { type: "job-stream", job, seq: 1, text: "a" })!;
    expect(foldJobStream(s, { type: "job-stream", job, seq: 1, text: "b" })).toBeUndefined();
    expect(foldJobStream(s, { type: "job-stream", job, seq: 2, done: true })).toEqual({ job, seq: 2, text: "a", done: true });
  });
});
