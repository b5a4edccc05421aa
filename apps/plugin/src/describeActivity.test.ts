import { describe, expect, it } from "vitest";
import { describeActivity } from "./describeActivity.js";

describe("describeActivity", () => {
  it("says where a reply goes and how long it took, by names to a person at the terminal, by ids otherwise", () => {
    const answering = { type: "answering", conversation: "session:s1", message: "m1", run: "r1", where: "Demo › Planning", model: "demo/smart" } as const;
    expect(describeActivity(answering, true)).toBe("answering in Demo › Planning with demo/smart…");
    expect(describeActivity(answering)).toBe("answering in session:s1 with demo/smart…");
    expect(describeActivity({ type: "answered", message: "m1", run: "r1", model: "demo/fast", ms: 1234 })).toBe("answered in 1.2 s with demo/fast");
  });

  it("names tasks (only to a person at the terminal) and says what happened to them", () => {
    const task = { type: "task-applied", task: "t1", revision: 2, name: "Digest", schedule: "every 30m" } as const;
    expect(describeActivity({ ...task, state: "scheduled" }, true)).toBe("task “Digest” scheduled: every 30m");
    expect(describeActivity({ ...task, state: "paused" }, true)).toBe("task “Digest” paused (every 30m)");
    expect(describeActivity({ ...task, state: "removed" }, true)).toBe("task “Digest” deleted: unscheduled");
    expect(describeActivity({ ...task, state: "paused", error: "bad zone" }, true)).toBe("task “Digest” cannot be scheduled: bad zone");
    expect(describeActivity({ type: "job-finished", task: "t1", job: "j1", status: "ok", name: "Digest", trigger: "run-now", ms: 400 }, true)).toBe(
      "task “Digest” ran as asked: ok in 0.4 s",
    );
    expect(describeActivity({ ...task, state: "removed" })).toBe("task t1 deleted: unscheduled");
    expect(describeActivity({ type: "published", agents: 1, models: 3 })).toBe("published this gateway: 1 agent, 3 models");
  });
});
