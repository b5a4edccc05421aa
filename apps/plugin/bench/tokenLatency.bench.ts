// Budget (docs/design.md): agent tokens show < 50 ms after the plugin receives them.
//
// A demo agent (AgentPeer + DemoBackend, memory storage) and a person's device (a sync engine) of
// one user, live on the real relay, in this process so one clock serves both. The backend is
// wrapped to note when each token leaves it (the cumulative text's length at that moment); the
// device notes when each `agent-stream` frame arrives. A token's latency runs from leaving the
// backend to the first frame whose text holds it — so it includes the peer's frame coalescing
// (`streamEveryMs`), the encryption, the relay's fan-out and the decryption.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import {
  ConnectionState,
  createChannel,
  createSession,
  MemoryPeerStorage,
  openRoot,
  sendMessage,
  str,
  SyncEngine,
  type AgentId,
  type DeviceId,
  type GatewayId,
  type MessageDoc,
  type SocketLike,
} from "@botschat/model";
import { percentile, reportMeasurement, sortedSamples } from "@botschat/bench-kit";
import { createPairingToken, register, startRelayForBench } from "@botschat/relay-testkit";
import type { AgentBackend, AgentEvent, AgentRequest } from "../src/AgentBackend.js";
import { EphType } from "@botschat/model";
import { AgentPeer } from "../src/AgentPeer.js";
import { DemoBackend } from "../src/DemoBackend.js";

const REPLIES = 4;
const TOKEN_DELAY_MS = 10;
const PASSPHRASE = "bench token latency";
const GATEWAY = "gw-bench" as GatewayId;

setTimeout(() => {
  console.error("tokenLatency.bench.ts: still running after 120 s, giving up");
  process.exit(1);
}, 120_000).unref();

/** Notes when each token (by cumulative text length) left the backend. */
class TimedBackend implements AgentBackend {
  readonly left = new Map<string, { length: number; at: number }[]>();
  constructor(private readonly inner: AgentBackend) {}
  listAgents = () => this.inner.listAgents();
  listModels = () => this.inner.listModels();
  listSkills = () => this.inner.listSkills();
  async *answer(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const marks: { length: number; at: number }[] = [];
    this.left.set(request.conversation + "|" + request.text, marks);
    for await (const ev of this.inner.answer(request)) {
      if (ev.type === "text") marks.push({ length: ev.text.length, at: performance.now() });
      yield ev;
    }
  }
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

await ready();
const relay = await startRelayForBench();
const socket = (url: string) => new WebSocket(url) as unknown as SocketLike;
try {
  const { token } = await register(relay.url);
  const device = new SyncEngine({ relayUrl: relay.url, token, storage: new MemoryPeerStorage(), socket, vaultOptions: { ops: 1, mem: 8192 * 1024 } });
  const arrivals: { message: string; length: number; at: number }[] = [];
  device.on("eph", (e) => {
    const p = e.payload;
    if (p.type === EphType.agentStream && typeof p["text"] === "string")
      arrivals.push({ message: String(p["message"]), length: p["text"].length, at: performance.now() });
  });
  await device.start();
  await device.unlock(PASSPHRASE);
  await waitFor(() => device.getStatus().state === ConnectionState.live, "the device live");

  const backend = new TimedBackend(new DemoBackend({ delayMs: TOKEN_DELAY_MS }));
  const peer = new AgentPeer({
    relayUrl: relay.url,
    token: (await createPairingToken(relay.url, token)).token,
    passphrase: PASSPHRASE,
    storage: new MemoryPeerStorage(),
    gateway: GATEWAY,
    instance: "bench",
    name: "Bench agent",
    backend,
  });
  await peer.start();
  await waitFor(async () => (await openRoot(device)).doc().gateways[GATEWAY] !== undefined, "the gateway", 20_000);
  const me = { device: "d_benchdevice0001" as DeviceId };
  const { doc: channelDoc } = await createChannel(device, me, { name: "Bench", gateway: GATEWAY, agentId: "demo" as AgentId });
  const { session } = await createSession(device, me, { channelDoc, title: "Tokens" });

  const latencies: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const text = `reply ${i}: tell me a long story`;
    const sent = await sendMessage(device, me, { channelDoc, session, text });
    await waitFor(
      async () => {
        const d = (await device.find<MessageDoc>(sent.doc)).doc();
        return Object.values(d.messages).some((m) => str(m.replyTo) === sent.message);
      },
      `reply ${i}`,
      30_000,
    );
    const marks = backend.left.get(`session:${session}|${text}`) ?? [];
    const mine = arrivals.filter((a) => a.message === sent.message);
    for (const mark of marks) {
      const seen = mine.find((a) => a.length >= mark.length);
      if (seen !== undefined) latencies.push(seen.at - mark.at);
    }
  }
  await peer.stop();
  await device.stop();

  const sorted = sortedSamples(latencies);
  reportMeasurement({ pkg: "plugin", name: "agent token to other device p50", value: percentile(sorted, 50), unit: "ms" });
  reportMeasurement({ pkg: "plugin", name: "agent token to other device p95", value: percentile(sorted, 95), unit: "ms", budget: { op: "<", value: 50 } });
  reportMeasurement({ pkg: "plugin", name: "agent token to other device max", value: sorted[sorted.length - 1]!, unit: "ms" });
  console.log(
    `(${sorted.length} tokens in ${REPLIES} replies, one token every ${TOKEN_DELAY_MS} ms, frames at most every 30 ms; agent and device in one process, memory storage)`,
  );
} finally {
  await relay.stop();
}
