import { describe, expect, it } from "vitest";
import type { DocumentId, MessageId, RunId } from "../docs/ids.js";
import type { EphFrame } from "./ephFrames.js";
import { EphStreamer } from "./EphStreamer.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(() => r(), ms));
const head = { type: "agent-stream", run: "r" as RunId, message: "m" as MessageId } as const;

describe("EphStreamer", () => {
  it("sends the first push at once, folds a burst into one frame with the latest state, and numbers frames", async () => {
    const sent: EphFrame[] = [];
    const s = new EphStreamer((_doc, f) => sent.push(f) > 0, "doc" as DocumentId, head, 30);
    s.push({ text: "a" });
    s.push({ text: "ab" });
    s.push({ reasoning: "why" });
    s.push({ text: "abc" });
    expect(sent).toEqual([{ ...head, seq: 1, text: "a" }]);
    await sleep(60);
    expect(sent[1]).toEqual({ ...head, seq: 2, text: "abc", reasoning: "why" });
    s.flush({ done: true });
    expect(sent[2]).toMatchObject({ seq: 3, text: "abc", done: true });
    expect(sent).toHaveLength(3);
  });

  it("cancel drops a pending frame", async () => {
    const sent: EphFrame[] = [];
    const s = new EphStreamer((_d, f) => sent.push(f) > 0, "doc" as DocumentId, { type: "job-stream", job: "j" as never }, 20);
    s.push({ text: "a" });
    s.push({ text: "ab" });
    s.cancel();
    await sleep(40);
    expect(sent).toHaveLength(1);
  });
});
