import { describe, expect, it } from "vitest";
import { channelInitial } from "./ChannelDoc.js";
import { imm } from "./Imm.js";
import type { ChannelId, DocumentId, SessionId, TaskId } from "./ids.js";
import { taskSessionId } from "./taskSessionId.js";
import { sessionsOf } from "./workspaceViews.js";

describe("sessionsOf", () => {
  it("marks the session holding a task's runs with its task, deleted tasks' too, and leaves people's sessions alone", () => {
    const c = channelInitial("c1" as ChannelId);
    const session = (id: SessionId, title: string) => ({
      id: imm(id),
      title: imm(title),
      pages: { "0": imm(`doc-${id}` as DocumentId) },
      createdAt: 1,
      archived: true,
    });
    const t1 = "task1" as TaskId;
    const gone = "task2" as TaskId;
    c.tasks[t1] = { id: imm(t1), doc: imm("doc-t1" as DocumentId), jobLogs: {}, createdAt: 1 };
    c.tasks[gone] = { id: imm(gone), doc: imm("doc-t2" as DocumentId), jobLogs: {}, createdAt: 1, deleted: 2, purged: 3 };
    c.sessions["s1" as SessionId] = session("s1" as SessionId, "General");
    c.sessions[taskSessionId(t1)] = session(taskSessionId(t1), "Task: Digest");
    c.sessions[taskSessionId(gone)] = session(taskSessionId(gone), "Task: Old");
    const byTitle = Object.fromEntries(sessionsOf(c).map((s) => [s.title, s.task]));
    expect(byTitle).toEqual({ General: undefined, "Task: Digest": t1, "Task: Old": gone });
  });
});
