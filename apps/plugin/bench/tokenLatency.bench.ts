// Budget (docs/design.md): an agent's first token shows < 50 ms after it leaves the agent's
// backend, and every token < 400 ms (p95): frames are batched to fill their padding (decision 017).
//
// A demo agent (AgentPeer + DemoBackend, memory storage) and a person's device (a sync engine) of
// one user, live on the real relay, in this process so one clock serves both. The backend is
// wrapped to note when each token leaves it (the reply's length at that moment); the device folds
// the `agent-stream` frames as the web app does and notes when each state arrives. A token's
// latency runs from leaving the backend to the first state whose text holds it — so it includes
// the peer's batching, the encryption, the relay's fan-out and the decryption.
import { performance } from "node:perf_hooks";
import { sendMessage, str, type MessageDoc } from "@botschat/model";
import { percentile, reportMeasurement, sortedSamples, giveUpAfter } from "@botschat/bench-kit";
import type { AgentBackend, AgentEvent, AgentRequest } from "../src/AgentBackend.js";
import { DemoBackend } from "../src/DemoBackend.js";
import { waitFor } from "@botschat/model/testkit";
import { streamedReplies } from "../test/workspace.js";
import { startBenchPeers, type BenchDevice } from "./benchPeers.js";

const REPLIES = 4;
const TOKEN_DELAY_MS = 10;

giveUpAfter(120, import.meta.url);

/** Notes when each token (by the reply's length) left the backend. */
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

/** When the device showed how much of the reply to `message`, frame by frame. */
const shown = (device: BenchDevice, message: string): { length: number; at: number }[] =>
  streamedReplies(device, message).map((s) => ({ length: s.text.length, at: s.event.at }));

const backend = new TimedBackend(new DemoBackend({ delayMs: TOKEN_DELAY_MS }));
const w = await startBenchPeers(backend);
try {
  const latencies: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const text = `reply ${i}: tell me a long story`;
    const sent = await sendMessage(w.device.engine, w.me, { channelDoc: w.channelDoc, session: w.session, text });
    await waitFor(
      [w.device.engine],
      async () => Object.values((await w.device.engine.find<MessageDoc>(sent.doc)).doc().messages).some((m) => str(m.replyTo) === sent.message),
      `reply ${i}`,
      30_000,
    );
    const marks = backend.left.get(`session:${w.session}|${text}`) ?? [];
    const seen = shown(w.device, sent.message);
    marks.forEach((mark, n) => {
      const at = seen.find((s) => s.length >= mark.length)?.at;
      if (at === undefined) return;
      latencies.push(at - mark.at);
      if (n === 0) firsts.push(at - mark.at);
    });
  }
  const sorted = sortedSamples(latencies);
  const first = sortedSamples(firsts);
  reportMeasurement({
    pkg: "plugin",
    name: "agent's first token to other device p50",
    value: percentile(first, 50),
    unit: "ms",
    budget: { op: "<", value: 50 },
  });
  reportMeasurement({ pkg: "plugin", name: "agent token to other device p50", value: percentile(sorted, 50), unit: "ms" });
  reportMeasurement({ pkg: "plugin", name: "agent token to other device p95", value: percentile(sorted, 95), unit: "ms", budget: { op: "<", value: 400 } });
  reportMeasurement({ pkg: "plugin", name: "agent token to other device max", value: sorted[sorted.length - 1]!, unit: "ms" });
  console.log(
    `(${sorted.length} tokens in ${REPLIES} replies, one token every ${TOKEN_DELAY_MS} ms; frames batched up to 350 ms; agent and device in one process, memory storage)`,
  );
} finally {
  await w.stop();
}
