import { afterEach, describe, expect, it } from "vitest";
import type { AgentId, TaskId } from "@botschat/model";
import { nextRuns } from "@botschat/model/schedule";
import { backendTaskExecutor } from "./backendTaskExecutor.js";
import { DemoBackend } from "./DemoBackend.js";
import { DemoScheduler, type TaskExecutor } from "./DemoScheduler.js";
import { runSchedulerConformance } from "./runSchedulerConformance.js";
import type { ScheduledTask, SchedulerRunEvent } from "./Scheduler.js";
import { sleep } from "./sleep.js";

const task = (over: Partial<ScheduledTask> = {}): ScheduledTask => ({
  id: "t1" as TaskId,
  name: "Digest",
  schedule: "every 1s",
  timezone: "UTC",
  prompt: "Summarise",
  agentId: "demo" as AgentId,
  enabled: true,
  ...over,
});

runSchedulerConformance(
  "DemoScheduler",
  () =>
    Promise.resolve({
      scheduler: new DemoScheduler(backendTaskExecutor(new DemoBackend({ delayMs: 0 }))),
      task: { name: "Digest", timezone: "UTC", prompt: "Summarise the news", agentId: "demo" as AgentId },
      frequentSchedule: "every 1s",
      waitMs: 5000,
    }),
  { runGate: true },
);

const schedulers: DemoScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.close();
});

function make(
  execute: TaskExecutor = async (t, r) => {
    r.onOutput("partial");
    return { output: `ran ${t.prompt}`, summary: "done" };
  },
): { s: DemoScheduler; events: SchedulerRunEvent[] } {
  const s = new DemoScheduler(execute);
  schedulers.push(s);
  const events: SchedulerRunEvent[] = [];
  s.onRun((e) => events.push(e));
  return { s, events };
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("the demo scheduler", () => {
  it("runs an `every 1s` task on its schedule: started, output, finished with the executor's result", async () => {
    const { s, events } = make();
    await s.upsert(task());
    await until(() => events.some((e) => e.type === "finished"), "a finished run");
    const types = events.filter((e) => e.runId === events[0]!.runId).map((e) => e.type);
    expect(types).toEqual(["started", "output", "finished"]);
    expect(events.find((e) => e.type === "finished")).toMatchObject({ status: "ok", output: "ran Summarise", summary: "done" });
    expect(events[0]!.runId).toMatch(/^at:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it("counts an `every` schedule from the task's anchor: the first tick comes one interval after it, and two schedulers fire the same ticks", async () => {
    const anchor = Date.now();
    const { s } = make();
    await s.upsert(task({ schedule: "every 1h", anchor }));
    expect(s.nextRun("t1" as TaskId)!.getTime()).toBe(anchor + 3_600_000);

    const a = make();
    const b = make();
    await a.s.upsert(task({ anchor: 250 }));
    await sleep(300); // b starts later, in a different part of the second
    await b.s.upsert(task({ anchor: 250 }));
    await until(() => b.events.filter((e) => e.type === "started").length >= 2, "two ticks of the later scheduler");
    const ticks = (events: SchedulerRunEvent[]) => events.filter((e) => e.type === "started").map((e) => e.runId);
    for (const id of ticks(b.events)) {
      expect(id).toMatch(/^at:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.250Z$/);
    }
    expect(ticks(a.events)).toEqual(expect.arrayContaining(ticks(b.events).slice(0, 1)));
  });

  it("cancel stops the named run in progress, which finishes as an error; another run id is left alone", async () => {
    const { s, events } = make(
      (_t, r) =>
        new Promise((_resolve, reject) => {
          r.signal.addEventListener("abort", () => reject(r.signal.reason as Error));
        }),
    );
    await s.upsert(task({ enabled: false }));
    await s.runNow("t1" as TaskId, "now:a");
    s.cancel("t1" as TaskId, "now:other");
    s.cancel("t1" as TaskId, "now:a");
    await until(() => events.some((e) => e.type === "finished"), "the cancelled run to finish");
    expect(events.find((e) => e.type === "finished")).toMatchObject({ runId: "now:a", status: "error", error: "another instance runs it" });
  });

  it("schedules `at HH:MM` daily in the task's time zone and `cron` expressions", async () => {
    const { s } = make();
    await s.upsert(task({ schedule: "at 09:30", timezone: "Asia/Tokyo" }));
    const next = s.nextRun("t1" as TaskId)!;
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" }).format(next)).toBe("09:30");
    await s.upsert(task({ id: "t2" as TaskId, schedule: "cron 0 9 * * 1-5", timezone: "UTC" }));
    const n2 = s.nextRun("t2" as TaskId)!;
    expect([n2.getUTCHours(), n2.getUTCMinutes()]).toEqual([9, 0]);
    expect([1, 2, 3, 4, 5]).toContain(n2.getUTCDay());
  });

  it("next runs on the times the model's nextRuns gives for the same schedule, zone and anchor", async () => {
    const { s } = make();
    const anchor = Date.now() - 1_234_567;
    const cases = [
      { id: "e" as TaskId, schedule: "every 1h", timezone: "UTC", anchor },
      { id: "a" as TaskId, schedule: "at 02:30", timezone: "Europe/Berlin" },
      { id: "c" as TaskId, schedule: "cron 15 10 * * mon-fri", timezone: "America/New_York" },
    ];
    for (const c of cases) {
      await s.upsert(task(c));
      const [expected] = nextRuns(c.schedule, { timezone: c.timezone, anchor: c.anchor ?? 0, count: 1 });
      expect(s.nextRun(c.id)?.getTime(), c.schedule).toBe(expected);
    }
  });

  it("refuses a schedule it cannot read or a time zone that does not exist", async () => {
    const { s } = make();
    await expect(s.upsert(task({ schedule: "sometimes" }))).rejects.toThrow(/a schedule is/);
    await expect(s.upsert(task({ schedule: "at 09:00", timezone: "Mars/Olympus" }))).rejects.toThrow(/cannot schedule/);
  });

  it("after remove, a task neither runs nor can be run", async () => {
    const { s, events } = make();
    await s.upsert(task());
    await s.remove("t1" as TaskId);
    expect(await s.runNow("t1" as TaskId, "now:x")).toBe(false);
    expect(s.nextRun("t1" as TaskId)).toBeNull();
    expect(events).toEqual([]);
  });

  it("records a tick that comes while the previous run still goes as skipped, and an executor failure as an error", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const { s, events } = make(async () => {
      await blocked;
      throw new Error("boom");
    });
    await s.upsert(task({ enabled: false }));
    await s.runNow("t1" as TaskId, "now:a");
    await s.runNow("t1" as TaskId, "now:b");
    expect(events.filter((e) => e.runId === "now:b").map((e) => e.type === "finished" && e.status)).toEqual([false, "skipped"]);
    release();
    await until(() => events.some((e) => e.runId === "now:a" && e.type === "finished"), "the first run to end");
    expect(events.find((e) => e.runId === "now:a" && e.type === "finished")).toMatchObject({ status: "error", error: "boom" });
  });
});
