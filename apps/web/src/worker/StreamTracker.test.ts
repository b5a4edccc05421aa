import type { DocumentId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { StreamTracker } from "./StreamTracker.js";

const doc = "doc1" as DocumentId;
const frame = (seq: number, extra: Record<string, unknown> = {}) => ({ type: "agent-stream", run: "r1", message: "m1", seq, ...extra });

describe("StreamTracker", () => {
  it("keeps the latest cumulative text of a run and ignores frames that arrive late", () => {
    const t = new StreamTracker(() => 0);
    t.apply(doc, frame(1, { text: "Hel" }));
    expect(t.apply(doc, frame(3, { text: "Hello wor" }))?.text).toBe("Hello wor");
    expect(t.apply(doc, frame(2, { text: "Hello" }))).toBeUndefined();
    expect(t.of(doc).map((s) => s.text)).toEqual(["Hello wor"]);
  });

  it("keeps each tool call by id with its latest phase, and reasoning across frames", () => {
    const t = new StreamTracker(() => 0);
    t.apply(doc, frame(1, { reasoning: "thinking", tool: { id: "t1", name: "search", phase: "start" } }));
    t.apply(doc, frame(2, { tool: { id: "t2", name: "fetch", phase: "start" } }));
    const s = t.apply(doc, frame(3, { tool: { id: "t1", name: "search", phase: "end", summary: "3 hits" } }));
    expect(s?.reasoning).toBe("thinking");
    expect(s?.tools).toEqual([
      { id: "t1", name: "search", phase: "end", summary: "3 hits" },
      { id: "t2", name: "fetch", phase: "start" },
    ]);
  });

  it("grows the text by what each frame adds; joined midway, it asks for a keyframe (again after a second) and shows it", () => {
    let now = 0;
    const asked: unknown[] = [];
    const t = new StreamTracker(
      () => now,
      (d, f) => asked.push([d, f]),
    );
    expect(t.apply(doc, frame(4, { textAdd: "lo wor" }))).toMatchObject({ text: "", behind: true });
    expect(asked).toEqual([[doc, { type: "stream-sync", run: "r1" }]]);
    now = 500;
    t.apply(doc, frame(5, { textAdd: "ld" }));
    expect(asked).toHaveLength(1);
    now = 1000;
    t.apply(doc, frame(6, { textAdd: "!" }));
    expect(asked).toHaveLength(2);
    expect(t.apply(doc, frame(7, { key: true, text: "Hello world!" }))).toMatchObject({ text: "Hello world!" });
    expect(t.apply(doc, frame(8, { textAdd: " Bye." }))?.text).toBe("Hello world! Bye.");
    expect(t.of(doc)[0]?.behind).toBeUndefined();
    expect(asked).toHaveLength(2);
  });

  it("ignores frames of other types and malformed ones", () => {
    const t = new StreamTracker(() => 0);
    expect(t.apply(doc, { type: "job-stream", run: "r", message: "m", seq: 1 })).toBeUndefined();
    expect(t.apply(doc, { type: "agent-stream", seq: 1 })).toBeUndefined();
  });

  it("forgets finished streams after a minute", () => {
    let now = 0;
    const t = new StreamTracker(() => now);
    t.apply(doc, frame(1, { text: "done", done: true }));
    now = 61_000;
    t.apply(doc, { ...frame(1), run: "r2", message: "m2" });
    expect(t.of(doc).map((s) => s.run)).toEqual(["r2"]);
  });
});
