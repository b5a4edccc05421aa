import { describe, expect, it } from "vitest";
import { jobLogDocId } from "../docs/deriveDocumentId.js";
import type { GatewayId, JobId } from "../docs/ids.js";
import type { JobLogDoc } from "../docs/JobLogDoc.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { GatewayActor } from "./Actor.js";
import { finishJob, startJob } from "./agentOps.js";
import { findOpenJobs } from "./findWork.js";
import { claimJob, renewJob } from "./jobClaims.js";
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
  it("without a relay the local copy decides: an instance that sees another's claim does not claim, and copies that have not met each win there", async () => {
    const w = await withTask();
    const other = new MemoryDocStore();
    other.syncFrom(w.store);
    expect(await claimJob(w.store, at(T0 + 20), { taskDoc: w.taskDoc, job: tick, instance: "i-a", at: T0 })).toBe(true);
    expect(await claimJob(other, at(T0 + 10), { taskDoc: w.taskDoc, job: tick, instance: "i-b", at: T0 })).toBe(true);
    const third = new MemoryDocStore();
    third.syncFrom(w.store);
    expect(await claimJob(third, at(T0 + 30), { taskDoc: w.taskDoc, job: tick, instance: "i-c", at: T0 })).toBe(false);
    const log = (await third.find<JobLogDoc>(jobLogDocId(w.task, "2026-11"))).doc();
    expect(Object.keys(log.claims!)).toEqual([`${tick}|i-a`]);
  });

  it("with a relay, the claim's place in the relay's order decides: a claim stored after another's loses, even one this copy had not seen when it claimed", async () => {
    const w = await withTask();
    const other = new MemoryDocStore();
    other.syncFrom(w.store);
    expect(await claimJob(other, at(T0), { taskDoc: w.taskDoc, job: tick, instance: "i-b", at: T0 })).toBe(true);
    // i-a claims without having seen i-b's claim, which the relay stored first.
    const placedAfterOther = Object.assign(Object.create(w.store) as MemoryDocStore, {
      afterAck: <T>(_id: unknown, decide: () => T): Promise<T> => {
        w.store.syncFrom(other);
        return Promise.resolve(decide());
      },
    });
    expect(await claimJob(placedAfterOther, at(T0 + 1), { taskDoc: w.taskDoc, job: tick, instance: "i-a", at: T0 })).toBe(false);
    // Placed first, it wins.
    const placedFirst = Object.assign(Object.create(w.store) as MemoryDocStore, { afterAck: <T>(_id: unknown, decide: () => T) => Promise.resolve(decide()) });
    const next = "at:2026-11-24T09:30:00.000Z" as JobId;
    expect(await claimJob(placedFirst, at(T0 + 2), { taskDoc: w.taskDoc, job: next, instance: "i-a", at: T0 })).toBe(true);
  });

  it("a job started by one instance is won by that one only, and a late instance claims nothing away from it", async () => {
    const w = await withTask();
    expect(await claimJob(w.store, at(T0), { taskDoc: w.taskDoc, job: tick, instance: "aa", at: T0 })).toBe(true);
    await startJob(w.store, at(T0 + 2), { taskDoc: w.taskDoc, job: tick, startedAt: T0, instance: "aa" });
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
