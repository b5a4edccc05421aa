import { Counter } from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { imm } from "./Imm.js";
import type { DocumentId, GatewayId, MessageId, RunId } from "./ids.js";
import type { MessageRecord, RunRecord, RunStatus } from "./MessageRecord.js";
import { isLosingReply, messageStatus, messageView, sortedMessages, winningRun } from "./messageView.js";

const run = (runId: string, at: number, status: RunStatus = "received", extra: Partial<RunRecord> = {}): RunRecord => ({
  runId: imm(runId as RunId),
  by: imm("gw" as GatewayId),
  at,
  attempt: 0,
  status: imm(status),
  ...extra,
});
const ask = (runs: RunRecord[], attempt = 0): MessageRecord => ({
  id: imm("m" as MessageId),
  role: imm("user"),
  text: imm("q"),
  createdAt: 1,
  attempt,
  runs: Object.fromEntries(runs.map((r) => [r.runId.val, r])) as MessageRecord["runs"],
});

describe("winningRun and messageStatus", () => {
  it("a person's message without runs is pending; agent and system messages are answered", () => {
    expect(messageStatus(ask([]))).toBe("pending");
    expect(messageStatus({ ...ask([]), role: imm("agent") })).toBe("answered");
    expect(messageStatus({ ...ask([]), role: imm("system") })).toBe("answered");
  });

  it("the winner is the lowest (at, runId) among live runs of the current attempt", () => {
    expect(winningRun(ask([run("b", 5), run("a", 7), run("c", 5)]))?.runId.val).toBe("b");
    expect(winningRun(ask([run("b", 5, "received", { supersededBy: imm("z" as RunId) }), run("z", 9)]))?.runId.val).toBe("z");
    expect(winningRun(ask([run("old", 1, "error"), run("new", 9, "received", { attempt: 1 })], 1))?.runId.val).toBe("new");
  });

  it("the status is the winning run's", () => {
    expect(messageStatus(ask([run("a", 1)]))).toBe("received");
    expect(messageStatus(ask([run("a", 1, "answered")]))).toBe("answered");
    expect(messageStatus(ask([run("a", 1, "error")]))).toBe("error");
    expect(messageStatus(ask([run("a", 1, "interrupted")], 1))).toBe("pending");
  });
});

describe("messageView and sortedMessages", () => {
  it("shows a page message's thread with its reply count, and the claim and error", () => {
    const m: MessageRecord = {
      ...ask([run("a", 3, "error", { error: imm("boom") })]),
      threadDoc: imm("t" as DocumentId),
      replies: new Counter(2),
      lastReplyAt: 9,
    };
    const view = messageView(m);
    expect(view).toMatchObject({ status: "error", error: "boom", claim: { runId: "a", by: "gw", at: 3 }, thread: { doc: "t", replies: 2, lastReplyAt: 9 } });
    expect(view).not.toHaveProperty("runs");
  });

  it("hides the reply of a run that lost the claim", () => {
    const q = ask([run("a", 1, "answered"), run("b", 2, "answered")]);
    const reply = (r: string): MessageRecord => ({
      id: imm(`reply-${r}` as MessageId),
      role: imm("agent"),
      text: imm(r),
      createdAt: 5,
      replyTo: imm("m" as MessageId),
      run: imm(r as RunId),
      attempt: 0,
    });
    const messages = { m: q, "reply-a": reply("a"), "reply-b": reply("b") } as Record<MessageId, MessageRecord>;
    expect(isLosingReply(reply("b"), messages)).toBe(true);
    expect(isLosingReply(reply("a"), messages)).toBe(false);
    expect(sortedMessages({ messages }).map((v) => v.text)).toEqual(["q", "a"]);
  });
});
