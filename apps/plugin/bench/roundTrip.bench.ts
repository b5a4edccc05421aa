// Budgets (docs/design.md, "End to end"): device → relay → an agent that answers at once → the
// same device, processes as in production, on loopback: the reply visible ≤ 10 ms p50 and ≤ 20 ms
// p95, committed ≤ 15 ms p50; ≥ 500 round trips/s with 10 outstanding over 10 sessions; a second
// device sees the reply within 5 ms of the sending device (p50).
//
// The relay and the demo agent (`botschat-agent --demo --delay-ms 0`) run as their own processes;
// two devices of the person (sync engines) run here, so one clock times both. "Visible" is the
// first sign of the reply on a device: its first stream frame or the committed reply.
import { performance } from "node:perf_hooks";
import { spawnAgent } from "@botschat/agent-testkit";
import { createSession, EphType, sendMessage, str, type MessageDoc, type MessageId, type SessionId } from "@botschat/model";
import { percentile, reportMeasurement, sortedSamples, giveUpAfter } from "@botschat/bench-kit";
import { tempDir } from "@botschat/relay-testkit";
import { startBenchPeers, type BenchDevice } from "./benchPeers.js";

const SEQUENTIAL = 300;
const OUTSTANDING = 10;
const CONCURRENT_TOTAL = 300;

giveUpAfter(300, import.meta.url);

const w = await startBenchPeers(async ({ relayUrl, pairingToken, passphrase }) => {
  const agent = spawnAgent(
    ["--demo", "--relay", relayUrl, "--token", pairingToken, "--data", tempDir("botschat-bench-agent-"), "--delay-ms", "0", "--name", "Bench agent"],
    { BOTSCHAT_PASSPHRASE: passphrase },
  );
  await agent.waitFor(/caught up — live/, 30_000);
  return agent;
});
try {
  const other = await w.addDevice();

  /** When a device first saw the reply to `message`: a stream frame naming it, or the committed reply. */
  const watch = (d: BenchDevice, doc: string, message: MessageId): Promise<{ visible: number; committed: number }> =>
    new Promise((resolve) => {
      let visible: number | undefined;
      const runs = new Set<string>();
      const onEph = (e: { doc: string; payload: Record<string, unknown> }): void => {
        if (e.doc !== doc || e.payload["type"] !== EphType.agentStream) return;
        if (e.payload["message"] === message) runs.add(String(e.payload["run"]));
        if (runs.has(String(e.payload["run"]))) visible ??= performance.now();
      };
      const onRemote = (id: string): void => {
        if (id !== doc) return;
        void d.engine.find<MessageDoc>(doc as never).then((h) => {
          if (!Object.values(h.doc().messages).some((m) => str(m.replyTo) === message)) return;
          const committed = performance.now();
          d.engine.off("eph", onEph);
          d.engine.off("remote", onRemote);
          resolve({ visible: Math.min(visible ?? committed, committed), committed });
        });
      };
      d.engine.on("eph", onEph);
      d.engine.on("remote", onRemote);
    });

  const roundTrip = async (session: SessionId, text: string) => {
    const t0 = performance.now();
    const sent = await sendMessage(w.device.engine, w.me, { channelDoc: w.channelDoc, session, text });
    const [mine, theirs] = await Promise.all([watch(w.device, sent.doc, sent.message), watch(other, sent.doc, sent.message)]);
    return { visible: mine.visible - t0, committed: mine.committed - t0, other: theirs.visible - mine.visible };
  };

  // Warm up: the first messages load the agent's documents.
  for (let i = 0; i < 10; i++) await roundTrip(w.session, `warm up ${i}`);

  const visible: number[] = [];
  const committed: number[] = [];
  const gap: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const r = await roundTrip(w.session, `hello ${i}`);
    visible.push(r.visible);
    committed.push(r.committed);
    gap.push(r.other);
  }
  const v = sortedSamples(visible);
  const c = sortedSamples(committed);
  const g = sortedSamples(gap);
  reportMeasurement({
    pkg: "plugin",
    name: "round trip until the reply is visible p50",
    value: percentile(v, 50),
    unit: "ms",
    budget: { op: "<=", value: 10 },
  });
  reportMeasurement({
    pkg: "plugin",
    name: "round trip until the reply is visible p95",
    value: percentile(v, 95),
    unit: "ms",
    budget: { op: "<=", value: 20 },
  });
  reportMeasurement({ pkg: "plugin", name: "round trip until the reply is visible p99", value: percentile(v, 99), unit: "ms" });
  reportMeasurement({
    pkg: "plugin",
    name: "round trip until the reply is committed p50",
    value: percentile(c, 50),
    unit: "ms",
    budget: { op: "<=", value: 15 },
  });
  reportMeasurement({
    pkg: "plugin",
    name: "a second device sees the reply after the sending device, p50",
    value: percentile(g, 50),
    unit: "ms",
    budget: { op: "<=", value: 5 },
  });

  // Ten at a time over ten sessions.
  const sessions: SessionId[] = [];
  for (let i = 0; i < OUTSTANDING; i++) sessions.push((await createSession(w.device.engine, w.me, { channelDoc: w.channelDoc, title: `Load ${i}` })).session);
  const loaded: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (session) => {
      while (started < CONCURRENT_TOTAL) {
        started += 1;
        loaded.push((await roundTrip(session, `load ${started}`)).visible);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const l = sortedSamples(loaded);
  reportMeasurement({
    pkg: "plugin",
    name: "round trips/s with 10 outstanding over 10 sessions",
    value: Math.round(CONCURRENT_TOTAL / seconds),
    unit: "/s",
    budget: { op: ">=", value: 500 },
  });
  reportMeasurement({ pkg: "plugin", name: "round trip with 10 outstanding, visible p50", value: percentile(l, 50), unit: "ms" });
  reportMeasurement({ pkg: "plugin", name: "round trip with 10 outstanding, visible p95", value: percentile(l, 95), unit: "ms" });
  console.log(
    `(${SEQUENTIAL} sequential round trips, then ${CONCURRENT_TOTAL} with ${OUTSTANDING} outstanding; relay and demo agent as processes, devices in this process with memory storage)`,
  );
} finally {
  await w.stop();
}
