import { describe, expect, it } from "vitest";
import type { TaskId } from "@botschat/model";
import type { ScheduledTask, Scheduler, SchedulerRunEvent } from "./Scheduler.js";
import { sleep } from "./sleep.js";

/** How a conformance run gets a scheduler, and what it may assume about it. */
export interface SchedulerFixture {
  scheduler: Scheduler;
  /** A task it can run (its agent, prompt, time zone); each test gives it an id, a schedule and `enabled`. */
  task: Omit<ScheduledTask, "id" | "schedule" | "enabled">;
  /** A schedule that fires soon enough to wait for (`every 1s` in process, `every 10s` on a cron). */
  frequentSchedule: string;
  /** How long a run, or a tick of `frequentSchedule`, may take to show. */
  waitMs: number;
  close?(): Promise<void>;
}

/** What a scheduler offers beyond the methods every one has. */
export interface SchedulerFeatures {
  /** It has `setRunGate` and holds back the runs the gate refuses. */
  runGate: boolean;
}

/**
 * The behaviour every {@link Scheduler} shares (the demo agent's, OpenClaw's cron): job ids,
 * pausing, unknown tasks, refused schedules, runs now and on schedule with their run ids and
 * event order, removal, listeners and, for a scheduler with one, the run gate. A new scheduler
 * needs only a fixture.
 *
 * @example
 * runSchedulerConformance("DemoScheduler", async () => ({ scheduler: new DemoScheduler(executor), task, frequentSchedule: "every 1s", waitMs: 5000 }), { runGate: true });
 */
export function runSchedulerConformance(name: string, makeFixture: () => Promise<SchedulerFixture>, features: SchedulerFeatures): void {
  let count = 0;
  /** Runs `f` with a fixture and a task maker; every task made is removed afterwards. */
  const use = async (f: (fx: SchedulerFixture, task: (over?: Partial<ScheduledTask>) => ScheduledTask) => Promise<void>): Promise<void> => {
    const fx = await makeFixture();
    const made = new Set<TaskId>();
    const task = (over: Partial<ScheduledTask> = {}): ScheduledTask => {
      const t: ScheduledTask = { ...fx.task, id: `conformance-${Date.now().toString(36)}-${++count}` as TaskId, schedule: "at 03:00", enabled: false, ...over };
      made.add(t.id);
      return t;
    };
    try {
      await f(fx, task);
    } finally {
      for (const id of made) await fx.scheduler.remove(id);
      await fx.scheduler.close();
      await fx.close?.();
    }
  };
  /** Every run event, from now on. */
  const listen = (scheduler: Scheduler): SchedulerRunEvent[] => {
    const events: SchedulerRunEvent[] = [];
    scheduler.onRun((e) => events.push(e));
    return events;
  };
  const finished = (events: SchedulerRunEvent[], runId?: string) => events.some((e) => e.type === "finished" && (runId === undefined || e.runId === runId));

  describe(`Scheduler conformance: ${name}`, () => {
    it("answers a job id for a task, the same one when the task is upserted again, and pauses and resumes it", () =>
      use(async ({ scheduler }, task) => {
        const t = task();
        const { jobId } = await scheduler.upsert(t);
        expect(jobId.length).toBeGreaterThan(0);
        expect((await scheduler.upsert({ ...t, prompt: `${t.prompt} again` })).jobId).toBe(jobId);
        expect(await scheduler.setEnabled(t.id, true)).toBe(true);
        expect(await scheduler.setEnabled(t.id, false)).toBe(true);
      }));

    it("answers false for a task it does not hold, and removing one changes nothing", () =>
      use(async ({ scheduler }, task) => {
        const t = task();
        expect(await scheduler.setEnabled(t.id, true)).toBe(false);
        expect(await scheduler.runNow(t.id, "now:unknown")).toBe(false);
        await scheduler.remove(t.id);
      }));

    it("refuses a schedule it cannot read", () =>
      use(async ({ scheduler }, task) => {
        await expect(scheduler.upsert(task({ schedule: "sometimes" }))).rejects.toThrow();
      }));

    it("runs a paused task now on request: it starts, streams cumulative output and finishes once, all under the run id given", () =>
      use(async ({ scheduler, waitMs }, task) => {
        const events = listen(scheduler);
        const t = task();
        await scheduler.upsert(t);
        expect(await scheduler.runNow(t.id, "now:conformance")).toBe(true);
        await waitFor(() => finished(events), "the requested run to finish", waitMs);
        expect(events.every((e) => e.task === t.id && e.runId === "now:conformance")).toBe(true);
        expect(events[0]!.type).toBe("started");
        expect(events.filter((e) => e.type === "finished")).toHaveLength(1);
        expect(events.at(-1)).toMatchObject({ type: "finished", status: "ok" });
        const texts = events.flatMap((e) => (e.type === "output" ? [e.text] : []));
        for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
      }));

    it("runs an enabled task on its schedule, under a run id that names the tick", () =>
      use(async ({ scheduler, frequentSchedule, waitMs }, task) => {
        const events = listen(scheduler);
        const t = task({ schedule: frequentSchedule, enabled: true });
        await scheduler.upsert(t);
        await waitFor(() => finished(events), "a scheduled run to finish", waitMs);
        const started = events.find((e) => e.type === "started")!;
        expect(started.runId).toMatch(/^at:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(events.find((e) => e.type === "finished")!.runId).toBe(started.runId);
      }));

    it("after remove, a task cannot be run now", () =>
      use(async ({ scheduler }, task) => {
        const t = task();
        await scheduler.upsert(t);
        await scheduler.remove(t.id);
        expect(await scheduler.runNow(t.id, "now:removed")).toBe(false);
        expect(await scheduler.setEnabled(t.id, true)).toBe(false);
      }));

    it("a listener that unsubscribed hears no more runs", () =>
      use(async ({ scheduler, waitMs }, task) => {
        const heard: SchedulerRunEvent[] = [];
        scheduler.onRun((e) => heard.push(e))();
        const events = listen(scheduler);
        const t = task();
        await scheduler.upsert(t);
        await scheduler.runNow(t.id, "now:listeners");
        await waitFor(() => finished(events), "the run to finish", waitMs);
        expect(heard).toEqual([]);
      }));

    if (features.runGate) {
      it("asks its run gate before every run: a refused run emits nothing, an allowed one runs", () =>
        use(async ({ scheduler, waitMs }, task) => {
          const asked: string[] = [];
          scheduler.setRunGate!(({ runId }) => {
            asked.push(runId);
            return Promise.resolve(runId === "now:yes");
          });
          const events = listen(scheduler);
          const t = task();
          await scheduler.upsert(t);
          await scheduler.runNow(t.id, "now:no");
          await scheduler.runNow(t.id, "now:yes");
          await waitFor(() => finished(events, "now:yes"), "the allowed run", waitMs);
          expect(asked).toEqual(["now:no", "now:yes"]);
          expect(new Set(events.map((e) => e.runId))).toEqual(new Set(["now:yes"]));
        }));
    }
  });
}

async function waitFor(cond: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
