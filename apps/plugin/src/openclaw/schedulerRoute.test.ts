import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { SchedulerRunEvent } from "../Scheduler.js";
import { sleep } from "../sleep.js";
import { CronHub } from "./cronHub.js";
import { OpenClawScheduler } from "./OpenClawScheduler.js";
import type { CronJob, CronService } from "./openclawSdk.js";
import { parseCall, schedulerRoute } from "./schedulerRoute.js";

const TOKEN = "t".repeat(32);
const auth = { authorization: `Bearer ${TOKEN}` };
const TASK = { id: "t1", name: "Digest", schedule: "at 03:00", timezone: "UTC", prompt: "Summarise", agentId: "main", enabled: false };

/** A cron in memory; a run-now starts and finishes the job at once. */
function fakeCron(): { hub: CronHub; jobs: Map<string, CronJob>; make: (accountId: string) => OpenClawScheduler } {
  const jobs = new Map<string, CronJob>();
  let n = 0;
  const service: CronService = {
    list: () => Promise.resolve([...jobs.values()]),
    add: (input) => {
      const id = `job-${++n}`;
      jobs.set(id, { ...(input as Omit<CronJob, "id">), id });
      return Promise.resolve({ id });
    },
    update: (id, patch) => {
      jobs.set(id, { ...jobs.get(id)!, ...patch });
      return Promise.resolve({});
    },
    remove: (id) => Promise.resolve({ removed: jobs.delete(id) }),
  };
  const hub = new CronHub();
  hub.setService(service);
  const make = (accountId: string): OpenClawScheduler =>
    new OpenClawScheduler({
      hub,
      accountId,
      config: () => ({}),
      runNow: (jobId) => {
        hub.changed({ action: "started", jobId, runAtMs: Date.now() });
        hub.changed({ action: "finished", jobId, status: "ok", summary: "done" });
        return Promise.resolve();
      },
    });
  return { hub, jobs, make };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** The route on a loopback server; answers its base URL. */
async function serve(make: (accountId: string) => OpenClawScheduler): Promise<string> {
  const route = schedulerRoute(TOKEN, make);
  const server = createServer((req, res) => void route.handler(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/botschat/scheduler`;
}

/** Opens a session: its URL, the lines streamed so far, and whether the stream ended. */
async function openSession(base: string): Promise<{ url: string; lines: unknown[]; ended: () => boolean }> {
  const res = await fetch(`${base}/events`, { headers: auth });
  expect(res.status).toBe(200);
  const lines: unknown[] = [];
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of res.body!) {
      buffered += decoder.decode(chunk, { stream: true });
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const p of parts) if (p !== "") lines.push(JSON.parse(p));
    }
    ended = true;
  })().catch(() => (ended = true));
  await until(() => lines.length > 0);
  const { id } = lines[0] as { id: string };
  return { url: `${base}/${id}`, lines, ended: () => ended };
}

const call = async (url: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
  fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 250) throw new Error("timed out");
    await sleep(20);
  }
}

describe("the scheduler route", () => {
  it("drives a scheduler of the session's own account, streams its run events, and removes its jobs when the session closes", async () => {
    const cron = fakeCron();
    const base = await serve(cron.make);
    const session = await openSession(base);
    const upserted = (await (await call(session.url, { op: "upsert", task: TASK })).json()) as { ok: boolean; value: { jobId: string } };
    expect(upserted).toMatchObject({ ok: true, value: { jobId: "job-1" } });
    expect(cron.jobs.get("job-1")!.description).toMatch(/^botschat-task conformance-[0-9a-f]{16} t1$/);
    expect(await (await call(session.url, { op: "runNow", task: "t1", runId: "now:a" })).json()).toEqual({ ok: true, value: true });
    await until(() => session.lines.length === 3);
    const events = session.lines.slice(1) as SchedulerRunEvent[];
    expect(events.map((e) => [e.type, e.task, e.runId])).toEqual([
      ["started", "t1", "now:a"],
      ["finished", "t1", "now:a"],
    ]);
    expect(await (await call(session.url, { op: "setEnabled", task: "other", enabled: true })).json()).toEqual({ ok: true, value: false });
    expect(await (await call(session.url, { op: "upsert", task: { ...TASK, schedule: "sometimes" } })).json()).toMatchObject({ ok: false });

    expect((await call(session.url, { op: "close" })).status).toBe(200);
    expect(cron.jobs.size).toBe(0);
    await until(session.ended);
    expect((await call(session.url, { op: "remove", task: "t1" })).status).toBe(404);
  });

  it("refuses a caller without the token, an unknown session, a body over its limit and a call it cannot read", async () => {
    const base = await serve(fakeCron().make);
    expect((await fetch(`${base}/events`)).status).toBe(401);
    expect((await fetch(`${base}/events`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const { url } = await openSession(base);
    expect((await call(url, { op: "close" }, {})).status).toBe(401);
    expect((await call(`${base}/0123456789abcdef`, { op: "close" })).status).toBe(404);
    expect((await fetch(`${base}/other`, { headers: auth })).status).toBe(404);
    expect((await call(url, "x".repeat(100_000))).status).toBe(413);
    const bad = await call(url, { op: "upsert", task: { ...TASK, id: "a b" } });
    expect([bad.status, await bad.text()]).toEqual([400, "task.id: an id"]);
  });

  it("holds at most four sessions at once, and a closed one frees its place", async () => {
    const base = await serve(fakeCron().make);
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await openSession(base));
    expect((await fetch(`${base}/events`, { headers: auth })).status).toBe(503);
    await call(open[0]!.url, { op: "close" });
    await openSession(base);
  });
});

describe("a call on the scheduler route", () => {
  it("is read field by field", () => {
    expect(parseCall(JSON.stringify({ op: "upsert", task: { ...TASK, model: "mock/mock-1", anchor: 5 } }))).toEqual({
      op: "upsert",
      task: { ...TASK, model: "mock/mock-1", anchor: 5 },
    });
    expect(parseCall(JSON.stringify({ op: "runNow", task: "t1", runId: "now:x" }))).toEqual({ op: "runNow", task: "t1", runId: "now:x" });
    expect(parseCall("not json")).toBe("the body is not JSON");
    expect(parseCall(JSON.stringify({ op: "drop" }))).toMatch(/^op:/);
    expect(parseCall(JSON.stringify({ op: "setEnabled", task: "t1", enabled: "yes" }))).toBe("enabled: a boolean");
    expect(parseCall(JSON.stringify({ op: "runNow", task: "t1", runId: "" }))).toMatch(/^runId:/);
    expect(parseCall(JSON.stringify({ op: "upsert", task: { ...TASK, prompt: "p".repeat(16_001) } }))).toMatch(/^task.prompt:/);
    expect(parseCall(JSON.stringify({ op: "upsert", task: { ...TASK, enabled: undefined } }))).toBe("task.enabled: a boolean");
  });
});
