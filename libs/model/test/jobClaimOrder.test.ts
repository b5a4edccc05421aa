import { describe, expect, it } from "vitest";
import { jobLogDocId } from "../src/docs/deriveDocumentId.js";
import type { DocumentId, JobId } from "../src/docs/ids.js";
import type { JobLogDoc } from "../src/docs/JobLogDoc.js";
import { startJob } from "../src/ops/agentOps.js";
import { claimJob } from "../src/ops/jobClaims.js";
import { createTask } from "../src/ops/taskOps.js";
import { testGateway, testWorkspace } from "../src/ops/testWorkspace.js";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";

const fx = memoryRelayFixture();
const PASS = "instances of one gateway";

/** Waits for an asynchronous condition, checking every 20 ms; fails after 10 s. */
async function eventually(cond: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A workspace with one task, and instances of its gateway (three by default), all live with the
 * task; each instance's line can be taken offline.
 */
async function instancesOf(names = ["i-a", "i-b", "i-c"]) {
  const user = await fx.register();
  const device = await fx.peer(user.token);
  await device.engine.unlock(PASS);
  await until(() => isLive(device), "the device live");
  const w = await testWorkspace(device.engine as never);
  const task = await createTask(device.engine, w.me, { channelDoc: w.channelDoc, name: "Ticker", schedule: "every 1m", timezone: "UTC", prompt: "tick" });
  await device.engine.whenIdle();
  const instances = [];
  for (const name of names) {
    const line = fx.relay.line(name);
    const peer = await fx.peer((await fx.createPairingToken(user.token, name)).token, { line });
    await peer.engine.unlock(PASS);
    await until(() => isLive(peer) && peer.engine.has(task.doc), `${name} live with the task`);
    instances.push({ name, engine: peer.engine, peer, line });
  }
  return { device, task, instances };
}

describe("claims placed in the relay's order", () => {
  it("three instances claiming the same occurrences at the same moment or a few ms apart: exactly one wins each", async () => {
    const { task, instances } = await instancesOf();
    const at = Date.UTC(2026, 10, 24, 9, 0);
    const jobs = Array.from({ length: 12 }, (_, i) => `at:tick-${i}` as JobId);
    for (const [i, job] of jobs.entries()) {
      // Some ticks fire on every instance at once, others a little later on some (a busy process).
      const answers = await Promise.all(
        instances.map(async ({ name, engine }, k) => {
          await new Promise((r) => setTimeout(r, i % 3 === 0 ? 0 : (i * 7 + k * 5) % 16));
          return claimJob(engine, testGateway("gw-home"), { taskDoc: task.doc as DocumentId, job, instance: name, at }, { confirmMs: 10_000 });
        }),
      );
      expect(answers.filter(Boolean), `winners of ${job}: ${answers.join(", ")}`).toHaveLength(1);
      // The winner starts it; asked again later, every instance agrees on who runs it.
      const winner = instances[answers.indexOf(true)]!;
      await startJob(winner.engine, testGateway("gw-home"), { taskDoc: task.doc as DocumentId, job, startedAt: at, instance: winner.name });
      await Promise.all(instances.map(({ engine }) => engine.whenIdle()));
      const log = jobLogDocId(task.task, "2026-11");
      await until(() => instances.every(({ engine }) => engine.has(log)), "every instance has the job log");
      for (const { name, engine } of instances) {
        await eventually(async () => (await engine.find<JobLogDoc>(log)).doc().jobs[job] !== undefined, `${name} sees the job`);
        expect(await claimJob(engine, testGateway("gw-home"), { taskDoc: task.doc as DocumentId, job, instance: name, at })).toBe(name === winner.name);
      }
    }
  });

  it("a claim whose relay is unreachable is decided by the local copy after the confirm time, so a lone gateway keeps running its tasks", async () => {
    const { task, instances } = await instancesOf(["i-lone"]);
    const lone = instances[0]!;
    lone.line.offline();
    await until(() => !isLive(lone.peer), "the instance offline");
    const job = "at:offline" as JobId;
    const started = Date.now();
    expect(await claimJob(lone.engine, testGateway("gw-home"), { taskDoc: task.doc as DocumentId, job, instance: lone.name }, { confirmMs: 300 })).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
