import type { MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { shownVersions, threadParent } from "./shownVersions.js";

const msg = (id: string, role: MessageView["role"], text: string, more: Record<string, unknown> = {}): MessageView =>
  ({ id, role, text, createdAt: 0, status: "answered", attempt: 0, ...more }) as MessageView;

const q = msg("q", "user", "helo");
const a0 = msg("a0", "agent", "first", { replyTo: "q" });
const e1 = msg("e1", "user", "hello", { versionOf: "q", status: "received" });
const g2 = msg("g2", "user", "hello", { versionOf: "q", regenerates: "e1" });
const a2 = msg("a2", "agent", "third", { replyTo: "g2" });
const rows = [
  {
    ...q,
    versions: [
      { kind: "original" as const, ask: q, reply: a0 },
      { kind: "edit" as const, ask: e1 },
      { kind: "regenerate" as const, ask: g2, reply: a2 },
    ],
  },
  a0,
];

describe("shownVersions", () => {
  it("shows the latest version unless this device chose another: its text, its status and its answer in the first answer's place", () => {
    const latest = shownVersions(rows, new Map());
    expect(latest.map((m) => [m.id, m.text, m.replyTo, m.shown?.index])).toEqual([
      ["q", "hello", undefined, 2],
      ["a2", "third", "q", 2],
    ]);
    const chosen = shownVersions(rows, new Map([["q", "e1"]]));
    expect(chosen.map((m) => [m.id, m.text, m.status])).toEqual([["q", "hello", "received"]]);
    expect(chosen[0]!.shown).toEqual({ root: "q", ids: ["q", "e1", "g2"], index: 1, ask: "e1", edited: true });
    expect(shownVersions(rows, new Map([["q", "q"]])).map((m) => m.text)).toEqual(["helo", "first"]);
  });

  it("leaves messages without versions as they are, and finds a version's answer as a thread's parent", () => {
    const plain = [msg("x", "user", "x"), msg("y", "agent", "y", { replyTo: "x" })];
    expect(shownVersions(plain, new Map())).toBe(plain);
    expect(threadParent(rows, "a2")?.text).toBe("third");
    expect(threadParent(rows, "q")).toMatchObject({ text: "hello" });
    expect(threadParent(rows, "q")).not.toHaveProperty("shown");
  });
});
