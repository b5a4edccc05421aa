import { describe, expect, it } from "vitest";
import { jobLogDocId } from "../docs/deriveDocumentId.js";
import { str } from "../docs/Imm.js";
import type { GatewayId, JobId } from "../docs/ids.js";
import type { JobLogDoc } from "../docs/JobLogDoc.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { GatewayActor } from "./Actor.js";
import { finishJob, startJob } from "./agentOps.js";
import { findOpenJobs } from "./findWork.js";
import { claimJob, renewJob, winningJobClaim } from "./jobClaims.js";
import { createTask } from "./taskOps.js";
import { testWorkspace } from "./testWorkspace.js";

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const home = "gw-home" as GatewayId;
const at = (ms: number): GatewayActor => ({ gateway: home, now: () => ms });
const tick = "at:2026-11-24T09:00:00.000Z" as JobId;

async function withTask() {
  const w = await testWorkspace();
  const t = await createTask(w.store, w.me, { channelDoc: w.channelDoc, name: "Digest", schedule: "every 30m", timezone: "UTC", prompt: "Summarise" });
  return { ...w, taskDoc: t.doc, task: t.task };
}

describe("job claims between instances of one gateway", () => {
  it("two instances claiming one tick on copies that have not met each win there; merged, both agree on the lowest (time, instance)", async () => {
    const w = await withTask();
    const other = new MemoryDocStore();
    other.syncFrom(w.store);
    expect(await claimJob(w.store, at(T0 + 20), { taskDoc: w.taskDoc, job: tick, instance: "i-a", at: T0 })).toBe(true);
    expect(await claimJob(other, at(T0 + 10), { taskDoc: w.taskDoc, job: tick, instance: "i-b", at: T0 })).toBe(true);
    w.store.syncFrom(other);
    other.syncFrom(w.store);
    for (const store of [w.store, other]) {
      expect(await claimJob(store, at(T0 + 30), { taskDoc: w.taskDoc, job: tick, instance: "i-a", at: T0 })).toBe(false);
      expect(await claimJob(store, at(T0 + 30), { taskDoc: w.taskDoc, job: tick, instance: "i-b", at: T0 })).toBe(true);
      const log = (await store.find<JobLogDoc>(jobLogDocId(w.task, "2026-11"))).doc();
      expect(Object.keys(log.claims!)).toHaveLength(2);
      expect(str(winningJobClaim(log, tick)?.instance)).toBe("i-b");
    }
  });

  it("breaks a tie on time by instance, and a job started by one instance is won by that one only", async () => {
    const w = await withTask();
    const other = new MemoryDocStore();
    other.syncFrom(w.store);
    await claimJob(w.store, at(T0), { taskDoc: w.taskDoc, job: tick, instance: "zz", at: T0 });
    await claimJob(other, at(T0), { taskDoc: w.taskDoc, job: tick, instance: "aa", at: T0 });
    w.store.syncFrom(other);
    expect(await claimJob(w.store, at(T0 + 1), { taskDoc: w.taskDoc, job: tick, instance: "aa", at: T0 })).toBe(true);
    await startJob(w.store, at(T0 + 2), { taskDoc: w.taskDoc, job: tick, startedAt: T0, instance: "aa" });
    // A third instance arriving late claims nothing away from it.
    expect(await claimJob(w.store, at(T0 - 1000), { taskDoc: w.taskDoc, job: tick, instance: "a0", at: T0 })).toBe(false);
    expect(await claimJob(w.store, at(T0 + 3), { taskDoc: w.taskDoc, job: tick, instance: "aa", at: T0 })).toBe(true);
  });

  it("a running job's instance renews it; open jobs list it with that instance and its last sign of life, quiet ones only when asked", async () => {
    const w = await withTask();
    const started = await startJob(w.store, at(T0), { taskDoc: w.taskDoc, job: tick, startedAt: T0, instance: "i-a" });
    const other = await startJob(w.store, at(T0), { taskDoc: w.taskDoc, job: "now:x" as JobId, startedAt: T0 + 5 });
    expect(await renewJob(w.store, at(T0 + 60_000), { doc: started.doc, job: tick, instance: "i-a" })).toBe(true);
    expect(await renewJob(w.store, at(T0 + 61_000), { doc: started.doc, job: tick, instance: "i-b" })).toBe(false);

    const open = await findOpenJobs(w.store, home, { now: T0 + 70_000 });
    expect(open).toEqual(
      expect.arrayContaining([
        { doc: started.doc, job: tick, task: w.task, taskDoc: w.taskDoc, instance: "i-a", at: T0 + 60_000 },
        { doc: other.doc, job: "now:x", task: w.task, taskDoc: w.taskDoc, at: T0 + 5 },
      ]),
    );
    expect(open).toHaveLength(2);
    expect((await findOpenJobs(w.store, home, { now: T0 + 70_000, quietMs: 30_000 })).map((j) => j.job)).toEqual(["now:x"]);
    expect(await findOpenJobs(w.store, "gw-other" as GatewayId, { now: T0 + 70_000 })).toEqual([]);

    await finishJob(w.store, at(T0 + 80_000), { doc: started.doc, job: tick, status: "error", error: "interrupted" });
    expect(await renewJob(w.store, at(T0 + 90_000), { doc: started.doc, job: tick, instance: "i-a" })).toBe(false);
    expect((await findOpenJobs(w.store, home, { now: T0 + 90_000 })).map((j) => j.job)).toEqual(["now:x"]);
  });
});
