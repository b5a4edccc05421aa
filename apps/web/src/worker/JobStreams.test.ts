import type { DocumentId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { JobStreams } from "./JobStreams.js";

const doc = "jobs-2026-12" as DocumentId;
const frame = (seq: number, extra: Record<string, unknown> = {}) => ({ type: "job-stream", job: "j1", seq, ...extra });

describe("JobStreams", () => {
  it("grows a job's output by what each frame adds and ignores frames that arrive late", () => {
    const s = new JobStreams(() => 0);
    s.apply(doc, frame(1, { key: true, text: "line 1\n" }));
    expect(s.apply(doc, frame(2, { textAdd: "line 2\n" }))?.text).toBe("line 1\nline 2\n");
    expect(s.apply(doc, frame(2, { textAdd: "again\n" }))).toBeUndefined();
    expect(s.apply(doc, frame(3, { done: true }))).toMatchObject({ text: "line 1\nline 2\n", done: true });
  });

  it("opened midway, asks for a keyframe and shows it", () => {
    const asked: unknown[] = [];
    const s = new JobStreams(
      () => 0,
      (d, f) => asked.push([d, f]),
    );
    expect(s.apply(doc, frame(5, { textAdd: "line 5\n" }))).toMatchObject({ text: "", behind: true });
    expect(asked).toEqual([[doc, { type: "stream-sync", job: "j1" }]]);
    expect(s.apply(doc, frame(6, { key: true, text: "line 1\n…\nline 5\n" }))?.text).toBe("line 1\n…\nline 5\n");
    expect(s.of(doc)[0]?.behind).toBeUndefined();
  });
});
