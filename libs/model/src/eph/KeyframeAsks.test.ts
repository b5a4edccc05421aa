import { describe, expect, it } from "vitest";
import type { JobId, MessageId, RunId } from "../docs/ids.js";
import { KEYFRAME_ASK_EVERY_MS, KeyframeAsks } from "./KeyframeAsks.js";

const reply = { run: "r" as RunId, message: "m" as MessageId, seq: 3, text: "", reasoning: "", tools: [], done: false };

describe("KeyframeAsks", () => {
  it("asks for a stream it is behind on, at most once per interval, and not for one it follows or that ended", () => {
    let now = 0;
    const asks = new KeyframeAsks(() => now);
    expect(asks.askFor(reply)).toBeUndefined();
    expect(asks.askFor({ ...reply, behind: true })).toEqual({ type: "stream-sync", run: "r" });
    now = KEYFRAME_ASK_EVERY_MS - 1;
    expect(asks.askFor({ ...reply, behind: true })).toBeUndefined();
    now = KEYFRAME_ASK_EVERY_MS;
    expect(asks.askFor({ ...reply, behind: true })).toEqual({ type: "stream-sync", run: "r" });
    expect(asks.askFor({ ...reply, behind: true, done: true })).toBeUndefined();
    expect(asks.askFor({ job: "j" as JobId, seq: 2, text: "", done: false, behind: true })).toEqual({ type: "stream-sync", job: "j" });
  });
});
