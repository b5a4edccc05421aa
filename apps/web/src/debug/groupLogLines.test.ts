import type { SyncLogEntry } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { groupLogLines, groupText, shapeOf } from "./groupLogLines.js";

let ts = 1_700_000_000_000;
const line = (cat: SyncLogEntry["cat"], msg: string): SyncLogEntry => ({ ts: ts++, cat, msg });

describe("groupLogLines", () => {
  it("folds consecutive lines of one category and shape into one group with a count", () => {
    const lines = [line("WST", "← ack 12"), line("WST", "← ack 13"), line("WST", "← ack 14"), line("WS", "synced at 14")];
    const groups = groupLogLines(lines);
    expect(groups.map((g) => [g.first.cat, g.lines.length])).toEqual([
      ["WST", 3],
      ["WS", 1],
    ]);
    expect(groups[0]!.first).toBe(lines[0]);
    expect(groups[0]!.last).toBe(lines[2]);
  });

  it("keeps lines apart when the category, the words or the order differ", () => {
    const lines = [line("WST", "← ack 1"), line("WS", "← ack 2"), line("WST", "→ append 3"), line("WST", "← ack 4")];
    expect(groupLogLines(lines).map((g) => g.lines.length)).toEqual([1, 1, 1, 1]);
  });

  it("normalises standalone numbers only, not digits inside an id", () => {
    expect(shapeOf("← ack 12")).toBe("← ack #");
    expect(shapeOf("reconnecting in 1500 ms (closed with 1006)")).toBe("reconnecting in # ms (closed with #)");
    expect(shapeOf("loaded 4xT9a")).toBe("loaded 4xT9a");
    expect(shapeOf("took 1.25 s")).toBe("took # s");
  });

  it("shows a group as its shape with each changing number given as first…last", () => {
    const g = groupLogLines([line("WST", "← ack 12"), line("WST", "← ack 13"), line("WST", "← ack 23")])[0]!;
    expect(groupText(g)).toBe("← ack 12…23");
    const same = groupLogLines([line("WS", "socket closed: 1006 offline"), line("WS", "socket closed: 1006 offline")])[0]!;
    expect(groupText(same)).toBe("socket closed: 1006 offline");
    const single = groupLogLines([line("INF", "opened in 12 ms")])[0]!;
    expect(groupText(single)).toBe("opened in 12 ms");
  });

  it("returns the previous call's groups as the same objects when their lines did not change", () => {
    const lines = [line("WS", "connecting"), line("WST", "← ack 1"), line("WST", "← ack 2")];
    const before = groupLogLines(lines);
    const more = [...lines, line("WST", "← ack 3")];
    const after = groupLogLines(more, before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.lines.length).toBe(3);
    // The earlier call's group is not changed under whoever still holds it.
    expect(before[1]!.lines.length).toBe(2);
  });

  it("never holds more lines than it was given (a bounded log makes bounded groups)", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line("WST", `← ack ${i}`));
    const groups = groupLogLines(lines.slice(-300));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.lines).toHaveLength(300);
  });
});
