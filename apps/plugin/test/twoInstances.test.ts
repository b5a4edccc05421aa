import { describe, expect, it } from "vitest";
import {
  createTask,
  requestRun,
  messageStatus,
  sendMessage,
  sortedMessages,
  str,
  type ChannelDoc,
  type JobLogDoc,
  type JobRecord,
  type MessageDoc,
  type TaskDoc,
  type SentMessage,
} from "@botschat/model";
import { tempDir } from "@botschat/relay-testkit";
import { memoryRelayForFile, relayForFile } from "./relayForFile.js";
import { jobIdOf, type AgentPeer, type PeerActivity } from "../src/AgentPeer.js";
import type { DemoScheduler } from "../src/DemoScheduler.js";
import { spawnAgent } from "@botschat/agent-testkit";
import { channelWithSession, PASSPHRASE, repliesTo, startAgent, startDevice, until } from "./workspace.js";

// Agents in this process reach the relay as a transport only: MemoryRelay. Agent processes need
// the relay process.
const fx = memoryRelayForFile();
const real = relayForFile();

describe("two instances of one gateway on one workspace", () => {
  it("never both answer a message: each gets exactly one reply, from one of them", async () => {
    const device = await startDevice(fx.on);
    fx.stops.push(() => device.stop());
    const activity: [string, PeerActivity][] = [];
    const peers: AgentPeer[] = [];
    for (const instance of ["a", "b"]) {
      const { peer } = await startAgent(device, { instance, delayMs: 1 });
      fx.stops.push(() => peer.stop());
      peer.on("activity", (e) => activity.push([instance, e]));
      peers.push(peer);
    }
    const { channel, session } = await channelWithSession(device);
    await until(() => peers.every((p) => p.engine.has(channel.doc)), "both instances to have the channel");
    // Both instances are cut off while the messages are written, then come back at once: each
    // catches up on the same unanswered messages, and in most runs both claim them before either
    // sees the other's claims (the loser then reports `lost`). Whichever way the timing goes, the
    // person must see one answer per message.
    for (const p of peers) p.engine.disconnect();
    const sent: SentMessage[] = [];
    for (let i = 0; i < 6; i++) sent.push(await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: `question ${i}` }));
    await device.engine.whenIdle();
    for (const p of peers) p.engine.reconnectNow();
    const page = async () => (await device.engine.find<MessageDoc>(sent[0]!.doc)).doc();
    await until(async () => {
      const d = await page();
      return sent.every((s) => messageStatus(d.messages[s.message]!) === "answered");
    }, "every message answered");

    for (const s of sent) expect(await repliesTo(device, s.doc, s.message)).toHaveLength(1);
    const visible = sortedMessages(await page()).filter((m) => m.role === "agent");
    expect(visible).toHaveLength(sent.length);
    const answeredBy = activity.filter(([, e]) => e.type === "answered");
    expect(answeredBy).toHaveLength(sent.length);
    expect(new Set(answeredBy.map(([, e]) => (e.type === "answered" ? e.message : "")))).toEqual(new Set(sent.map((s) => s.message)));
    for (const s of sent) {
      const m = (await page()).messages[s.message]!;
      expect(Object.values(m.runs ?? {}).filter((r) => str(r.status) === "answered")).toHaveLength(1);
    }
  });

  it("two agent processes of one gateway never both run a scheduled tick: every run on either is one job, recorded once", async () => {
    const device = await startDevice(real.on);
    real.stops.push(() => device.stop());
    const tokens = [await device.pairingToken(), await device.pairingToken()];
    const agents = tokens.map((token) => {
      const p = spawnAgent(["--demo", "--relay", real.relay.url, "--data", tempDir("botschat-agent-"), "--gateway-id", "gw-two", "--delay-ms", "0"], {
        BOTSCHAT_PAIRING_TOKEN: token,
        BOTSCHAT_PASSPHRASE: PASSPHRASE,
      });
      real.stops.push(() => p.stop());
      return p;
    });
    for (const p of agents) await p.waitFor(/caught up/);
    const { channel } = await channelWithSession(device, "gw-two");
    const { task } = await createTask(device.engine, device.me, {
      channelDoc: channel.doc,
      name: "Ticker",
      schedule: "every 1s",
      timezone: "UTC",
      prompt: "hello",
    });
    const jobs = async (): Promise<JobRecord[]> => {
      const entry = (await device.engine.find<ChannelDoc>(channel.doc)).doc().tasks[task];
      const out: JobRecord[] = [];
      for (const doc of Object.values(entry?.jobLogs ?? {})) {
        if (device.engine.has(str(doc))) out.push(...Object.values((await device.engine.find<JobLogDoc>(str(doc))).doc().jobs));
      }
      return out;
    };
    // Both schedule it, so either can carry on alone.
    for (const p of agents) await p.waitFor(/task “Ticker” scheduled: every 1s/);
    await until(async () => (await jobs()).filter((j) => str(j.status) === "ok").length >= 4, "four finished ticks", 15_000);
    for (const p of agents) await p.stop();

    // Each process says one line per run it made; the workspace holds one job per run.
    const runs = agents.flatMap((p) => p.lines.filter((l) => /task “Ticker” ran on schedule/.test(l)));
    await until(async () => (await jobs()).filter((j) => str(j.status) !== "running").length >= runs.length, "every run's job on the device", 5000).catch(
      () => undefined,
    );
    const recorded = (await jobs()).filter((j) => str(j.status) !== "running");
    expect(recorded.length).toBe(runs.length);
    expect(new Set(recorded.map((j) => str(j.id))).size).toBe(recorded.length);
  });

  it("when both instances claim the same occurrence at once, one record stands and only its instance reports the run", async () => {
    const device = await startDevice(fx.on);
    fx.stops.push(() => device.stop());
    const activity: [string, PeerActivity][] = [];
    const instances: { peer: AgentPeer; scheduler: DemoScheduler }[] = [];
    for (const instance of ["a", "b"]) {
      const { peer, scheduler } = await startAgent(device, { gateway: "gw-race", instance, delayMs: 2 });
      fx.stops.push(() => peer.stop());
      peer.on("activity", (e) => activity.push([instance, e]));
      instances.push({ peer, scheduler });
    }
    const { channel } = await channelWithSession(device, "gw-race");
    const { task } = await createTask(device.engine, device.me, {
      channelDoc: channel.doc,
      name: "Race",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "tell me a long story",
    });
    await until(() => activity.filter(([, e]) => e.type === "task-applied").length >= 2, "both instances to schedule the task");

    // The same occurrence fires on both at the same moment (as a tick does).
    await Promise.all(instances.map(({ scheduler }) => scheduler.runNow(task, "now:crossed")));
    const job = jobIdOf(task, "now:crossed");
    const finished = () => activity.filter(([, e]) => e.type === "job-finished" && e.job === job);
    await until(() => finished().length > 0, "the run to finish");
    const records = async (): Promise<JobRecord[]> => {
      const logs = (await device.engine.find<ChannelDoc>(channel.doc)).doc().tasks[task]!.jobLogs;
      const found = await Promise.all(
        Object.values(logs).map(async (d) => (device.engine.has(str(d)) ? Object.values((await device.engine.find<JobLogDoc>(str(d))).doc().jobs) : [])),
      );
      return found.flat();
    };
    await until(async () => (await records()).some((j) => str(j.status) === "ok"), "the finished job on the device");
    for (const { peer } of instances) await peer.engine.whenIdle();
    expect(finished()).toHaveLength(1);
    expect((await records()).map((j) => [str(j.id), str(j.status)])).toEqual([[job, "ok"]]);
    expect(str((await records())[0]!.output)).toContain("Paragraph 12");
  });

  it("occurrences fired on both instances at once, round after round, each run by exactly one of them", async () => {
    const device = await startDevice(fx.on);
    fx.stops.push(() => device.stop());
    const activity: [string, PeerActivity][] = [];
    const schedulers: DemoScheduler[] = [];
    for (const instance of ["a", "b"]) {
      const { peer, scheduler } = await startAgent(device, { gateway: "gw-rounds", instance, delayMs: 0 });
      fx.stops.push(() => peer.stop());
      peer.on("activity", (e) => activity.push([instance, e]));
      schedulers.push(scheduler);
    }
    const { channel } = await channelWithSession(device, "gw-rounds");
    const { task } = await createTask(device.engine, device.me, {
      channelDoc: channel.doc,
      name: "Rounds",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "hi",
    });
    await until(() => activity.filter(([, e]) => e.type === "task-applied").length >= 2, "both instances to schedule the task");
    // Both claims reach the relay together, so each instance gets its ack with the other's claim
    // right behind it: the claim decides before that claim applies, or neither instance runs.
    for (let round = 0; round < 30; round++) {
      const job = jobIdOf(task, `now:round-${round}`);
      await Promise.all(schedulers.map((s) => s.runNow(task, `now:round-${round}`)));
      await until(() => activity.some(([, e]) => e.type === "job-finished" && e.job === job), `round ${round} to run`, 5000);
    }
    const finished = activity.filter(([, e]) => e.type === "job-finished");
    expect(finished).toHaveLength(30);
    expect(new Set(finished.map(([, e]) => (e.type === "job-finished" ? e.job : "")))).toHaveProperty("size", 30);
  });

  it("a job of an instance that fell silent is finished as interrupted by another once it has been quiet for quietMs", async () => {
    const device = await startDevice(fx.on);
    fx.stops.push(() => device.stop());
    const timing = { renewEveryMs: 200, quietMs: 800 };
    // a's line refuses connections once it is cut off, so it cannot come back and renew.
    const line = fx.memory.line("agent a");
    const a = await startAgent(device, { gateway: "gw-quiet", instance: "a", delayMs: 40, connection: line, peer: timing });
    fx.stops.push(() => a.peer.stop());
    const { channel } = await channelWithSession(device, "gw-quiet");
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc: channel.doc,
      name: "Long",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "tell me a long story",
    });
    const records = async (): Promise<JobRecord[]> => {
      const logs = (await device.engine.find<ChannelDoc>(channel.doc)).doc().tasks[task]?.jobLogs ?? {};
      const found = await Promise.all(
        Object.values(logs).map(async (d) => (device.engine.has(str(d)) ? Object.values((await device.engine.find<JobLogDoc>(str(d))).doc().jobs) : [])),
      );
      return found.flat();
    };
    await until(async () => (await device.engine.find<TaskDoc>(doc)).doc().applied !== undefined, "the task applied");
    await requestRun(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await records()).some((j) => str(j.status) === "running"), "the job running on a");

    const b = await startAgent(device, { gateway: "gw-quiet", instance: "b", peer: timing });
    fx.stops.push(() => b.peer.stop());
    const activity: PeerActivity[] = [];
    b.peer.on("activity", (e) => activity.push(e));
    // While a renews its job, b leaves it alone…
    await until(() => activity.some((e) => e.type === "task-applied"), "b to schedule the task");
    await until(async () => ((await records())[0]?.renewedAt ?? 0) > 0, "a renewal of the job");
    expect((await records()).map((j) => str(j.status))).toEqual(["running"]);
    // …and once a falls silent (cut off from the relay), b finishes it as interrupted.
    line.offline();
    a.peer.engine.disconnect();
    await until(async () => (await records()).some((j) => str(j.status) === "error"), "the silent job finished", 10_000);
    const [job, ...more] = await records();
    expect(more).toEqual([]);
    expect(str(job!.error)).toMatch(/^interrupted/);
    expect(activity.some((e) => e.type === "job-finished" && e.interrupted === true)).toBe(true);
  });
});
