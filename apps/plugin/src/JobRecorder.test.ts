import { describe, expect, it } from "vitest";
import {
  createTask,
  EphType,
  imm,
  jobLogDocId,
  monthOf,
  sortedMessages,
  startJob,
  str,
  type AgentId,
  type DocumentId,
  type JobLogDoc,
  type ModelId,
  type PageDoc,
  type TaskId,
  type DocStore,
  jobIdOf,
  OpError,
  OpErrorCode,
} from "@botschat/model";
import { testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import { JobRecorder } from "./JobRecorder.js";
import { jobsOf, testPorts, type TestPorts } from "./testPorts.js";

const QUIET_MS = 60_000;

interface Setup {
  w: TestWorkspace;
  task: TaskId;
  taskDoc: DocumentId;
}

async function withTask(): Promise<Setup> {
  const w = await testWorkspace();
  const { task, doc } = await createTask(w.store, w.me, {
    channelDoc: w.channelDoc,
    name: "Digest",
    schedule: "every 1h",
    timezone: "UTC",
    prompt: "Summarise",
  });
  return { w, task, taskDoc: doc };
}

/**
 * The workspace's store, letting go of handles as the engine does with idle documents: a handle
 * found before `letGo()` throws "DocHandle is not ready" when read; finding the document again works.
 */
function forgetful(store: DocStore): { store: DocStore; letGo: () => void; deleted: Set<DocumentId> } {
  let era = 0;
  /** Documents another device deleted: finding them fails as the engine's find does. */
  const deleted = new Set<DocumentId>();
  const find = (async (id: DocumentId) => {
    if (deleted.has(id)) throw new OpError(OpErrorCode.deleted, `document ${id} was deleted`);
    const handle = await store.find(id);
    const foundIn = era;
    return new Proxy(handle, {
      get: (h, key) => {
        if (key === "doc" && foundIn !== era)
          return () => {
            throw new Error("DocHandle is not ready");
          };
        const v: unknown = Reflect.get(h, key);
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(h) : v;
      },
    });
  }) as DocStore["find"];
  const wrapped = new Proxy(store, {
    get: (t, key) => {
      if (key === "find") return find;
      const v: unknown = Reflect.get(t, key);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { store: wrapped, letGo: () => void (era += 1), deleted };
}

function recorder(s: Setup, instance = "i-test", store: DocStore = s.w.store): { jobs: JobRecorder; t: TestPorts; cancelled: string[] } {
  const t = testPorts(store, { instance });
  const cancelled: string[] = [];
  const tasks = { docOf: (id: TaskId) => (id === s.task ? s.taskDoc : undefined), nameOf: () => "Digest" };
  const jobs = new JobRecorder({
    ...t.ports,
    tasks,
    cancel: (task, runId) => cancelled.push(`${task} ${runId}`),
    agents: () => ["main" as AgentId],
    quietMs: QUIET_MS,
    streamEveryMs: 0,
  });
  return { jobs, t, cancelled };
}

const tick = (at: number): string => `at:${new Date(at).toISOString()}`;

describe("the job recorder", () => {
  it("streams and finishes a job whose log the engine let go of meanwhile (it reads the log again)", async () => {
    const s = await withTask();
    const f = forgetful(s.w.store);
    const { jobs, t } = recorder(s, "i-test", f.store);
    const at = t.ports.actor.now!();
    const run = { task: s.task, runId: tick(at) };
    expect(await jobs.mayRun({ ...run, at })).toBe(true);
    jobs.onRun({ type: "started", ...run, at });
    f.letGo();
    jobs.onRun({ type: "output", ...run, text: "Still here" });
    jobs.onRun({ type: "finished", ...run, at: at + 500, status: "ok", output: "Still here" });
    await jobs.settled();
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([expect.objectContaining({ status: "ok", output: "Still here" })]);
    expect(
      t.eph
        .map((e) => e.frame)
        .filter((f) => f.type === EphType.jobStream)
        .map((f) => (f as { text?: string }).text),
    ).toContain("Still here");
  });

  it("stops a job whose log was deleted meanwhile (its task was deleted on another device), without failing", async () => {
    const s = await withTask();
    const f = forgetful(s.w.store);
    const { jobs, t, cancelled } = recorder(s, "i-test", f.store);
    const at = t.ports.actor.now!();
    const run = { task: s.task, runId: tick(at) };
    expect(await jobs.mayRun({ ...run, at })).toBe(true);
    jobs.onRun({ type: "started", ...run, at });
    f.letGo();
    f.deleted.add(jobLogDocId(s.task, monthOf(at)));
    jobs.onRun({ type: "output", ...run, text: "Nobody reads this" });
    jobs.onRun({ type: "finished", ...run, at: at + 500, status: "ok", output: "Nobody reads this" });
    await jobs.settled();
    expect(cancelled).toEqual([`${s.task} ${run.runId}`]);
  });

  it("claims an occurrence at the gate, streams its output and finishes its job with the outcome and its conversation", async () => {
    const s = await withTask();
    const { jobs, t } = recorder(s);
    const at = t.ports.actor.now!();
    const run = { task: s.task, runId: tick(at) };
    expect(await jobs.mayRun({ ...run, at })).toBe(true);
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([expect.objectContaining({ status: "running", instance: "i-test", startedAt: at })]);

    jobs.onRun({ type: "started", ...run, at });
    jobs.onRun({ type: "output", ...run, text: "Dig" });
    jobs.onRun({ type: "output", ...run, text: "Digest: all quiet" });
    jobs.onRun({ type: "finished", ...run, at: at + 500, status: "ok", output: "Digest: all quiet", summary: "Digest", model: "m/one" as ModelId });
    await jobs.settled();

    const [job] = await jobsOf(s.w.store, s.w.channelDoc, s.task);
    expect(job).toMatchObject({
      id: jobIdOf(s.task, run.runId),
      status: "ok",
      output: "Digest: all quiet",
      summary: "Digest",
      model: "m/one",
      durationMs: 500,
    });
    const page = (await s.w.store.find<PageDoc>(job!.session!)).doc();
    expect(sortedMessages(page).map((m) => [m.role, m.text])).toEqual([
      ["system", "Summarise"],
      ["agent", "Digest: all quiet"],
    ]);
    const frames = t.eph.map((e) => e.frame);
    expect(frames.every((f) => f.type === EphType.jobStream && f.job === job!.id)).toBe(true);
    // The first output whole, then what is new, with the end.
    expect(frames).toEqual([
      { type: EphType.jobStream, job: job!.id, seq: 1, key: true, text: "Dig" },
      { type: EphType.jobStream, job: job!.id, seq: 2, textAdd: "est: all quiet", done: true },
    ]);
    expect(t.activity).toEqual([
      { type: "job-started", task: s.task, job: job!.id, name: "Digest", trigger: "scheduled" },
      { type: "job-finished", task: s.task, job: job!.id, status: "ok", name: "Digest", trigger: "scheduled", ms: 500 },
    ]);
  });

  it("records an occurrence once: asked again, its gate or another instance's refuses it, and an ungated start of it records nothing new", async () => {
    const s = await withTask();
    const a = recorder(s, "i-a");
    const b = recorder(s, "i-b");
    const at = a.t.ports.actor.now!();
    const run = { task: s.task, runId: tick(at), at };
    expect(await a.jobs.mayRun(run)).toBe(true);
    expect(await a.jobs.mayRun(run)).toBe(false);
    expect(await b.jobs.mayRun(run)).toBe(false);

    b.jobs.onRun({ type: "started", ...run });
    b.jobs.onRun({ type: "finished", ...run, at: at + 10, status: "ok", output: "from b" });
    await b.jobs.settled();
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([expect.objectContaining({ status: "running", instance: "i-a" })]);
    expect(b.t.activity).toEqual([]);
  });

  it("records a run-now run that started without a gate, with its request, at once", async () => {
    const s = await withTask();
    const { jobs, t } = recorder(s);
    const at = t.ports.actor.now!();
    const run = { task: s.task, runId: "now:r1" };
    jobs.onRun({ type: "started", ...run, at, model: "m/one" as ModelId });
    jobs.onRun({ type: "finished", ...run, at: at + 20, status: "error", error: "no model" });
    await jobs.settled();
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([
      expect.objectContaining({ status: "error", error: "no model", request: "r1", instance: "i-test", model: "m/one" }),
    ]);
    expect(t.activity.map((a) => a.type === "job-started" && a.trigger)).toEqual(["run-now", false]);
  });

  it("cancels a run whose record turns out to be another instance's, and reports nothing of it", async () => {
    const s = await withTask();
    const { jobs, t, cancelled } = recorder(s);
    const at = t.ports.actor.now!();
    const run = { task: s.task, runId: tick(at) };
    expect(await jobs.mayRun({ ...run, at })).toBe(true);
    // What a merge with another instance's crossed record looks like when that record stands.
    const log = await s.w.store.find<JobLogDoc>(jobLogDocId(s.task, monthOf(at)));
    log.change((d) => {
      d.jobs[jobIdOf(s.task, run.runId)]!.instance = imm("i-other");
    });

    jobs.onRun({ type: "started", ...run, at });
    jobs.onRun({ type: "output", ...run, text: "Dig" });
    jobs.onRun({ type: "finished", ...run, at: at + 5, status: "error", error: "another instance runs it" });
    await jobs.settled();
    expect(cancelled).toEqual([`${s.task} ${run.runId}`]);
    expect(t.eph).toEqual([]);
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([expect.objectContaining({ status: "running", instance: "i-other" })]);
    expect(t.activity.map((a) => a.type)).toEqual(["job-started"]);
  });

  it("renews the jobs it runs, and finishes on close those the gate let through that never started", async () => {
    const s = await withTask();
    const { jobs, t } = recorder(s);
    const at = t.ports.actor.now!();
    expect(await jobs.mayRun({ task: s.task, runId: tick(at), at })).toBe(true);
    t.advance(1000);
    await jobs.renewJobs();
    expect((await jobsOf(s.w.store, s.w.channelDoc, s.task))[0]!.renewedAt).toBeGreaterThan(at);
    await jobs.close();
    expect(await jobsOf(s.w.store, s.w.channelDoc, s.task)).toEqual([expect.objectContaining({ status: "error", error: "The run did not start." })]);
  });

  it("finishes as interrupted its own jobs a crash left running at once, another instance's once quiet, and never the ones it runs", async () => {
    const s = await withTask();
    const { jobs, t } = recorder(s);
    const at = t.ports.actor.now!();
    const start = (runId: string, instance: string) =>
      startJob(s.w.store, t.ports.actor, { taskDoc: s.taskDoc, job: jobIdOf(s.task, runId), startedAt: at, instance });
    await start("now:before-crash", "i-test");
    await start("now:elsewhere", "i-other");
    expect(await jobs.mayRun({ task: s.task, runId: "now:running-here", at })).toBe(true);
    const statusOf = async (runId: string) => {
      const job = (await jobsOf(s.w.store, s.w.channelDoc, s.task)).find((j) => j.id === jobIdOf(s.task, runId))!;
      return [job.status, str(job.error)];
    };

    await jobs.sweepOpenJobs();
    expect(await statusOf("now:before-crash")).toEqual(["error", "interrupted: the agent stopped before this run finished"]);
    expect(await statusOf("now:elsewhere")).toEqual(["running", undefined]);
    t.advance(QUIET_MS);
    await jobs.sweepOpenJobs();
    expect(await statusOf("now:elsewhere")).toEqual(["error", "interrupted: the agent running it stopped answering"]);
    expect(await statusOf("now:running-here")).toEqual(["running", undefined]);
    expect(t.activity.map((a) => a.type === "job-finished" && a.interrupted)).toEqual([true, true]);
  });
});
