import { describe, expect, it } from "vitest";
import type { DocumentId } from "@botschat/model";
import { EphStreamer } from "./EphStreamer.js";
import { sleep } from "./sleep.js";

describe("EphStreamer", () => {
  it("sends the first push at once, folds a burst into one frame with the latest state, and numbers frames", async () => {
    const sent: Record<string, unknown>[] = [];
    const s = new EphStreamer((_doc, p) => sent.push(p) > 0, "doc" as DocumentId, { type: "agent-stream", run: "r" }, 30);
    s.push({ text: "a" });
    s.push({ text: "ab" });
    s.push({ reasoning: "why" });
    s.push({ text: "abc" });
    expect(sent).toEqual([{ type: "agent-stream", run: "r", seq: 1, text: "a" }]);
    await sleep(60);
    expect(sent[1]).toEqual({ type: "agent-stream", run: "r", seq: 2, text: "abc", reasoning: "why" });
    s.flush({ done: true });
    expect(sent[2]).toMatchObject({ seq: 3, text: "abc", done: true });
    expect(sent).toHaveLength(3);
  });

  it("cancel drops a pending frame", async () => {
    const sent: unknown[] = [];
    const s = new EphStreamer((_d, p) => sent.push(p) > 0, "doc" as DocumentId, { type: "t" }, 20);
    s.push({ text: "a" });
    s.push({ text: "ab" });
    s.cancel();
    await sleep(40);
    expect(sent).toHaveLength(1);
  });
});
