// Budgets (docs/design.md, "Streaming"): a device watching a reply receives ≤ 3× the reply's size
// in eph frames, all told; a device that joins midway shows the reply so far within 1 s.
//
// The relay, a person's device watching, and an agent whose backend streams a 20 KB reply at 50
// tokens a second (8 characters a token: 50 s), in this process. The watching device counts the
// bytes of the relay's eph frames as they come off its socket. Halfway through, another device of
// the account starts, folds the frames as the web app does, asks for a keyframe, and notes how
// long it took from its first frame to showing the reply so far.
import { performance } from "node:perf_hooks";
import {
  EphType,
  foldAgentStream,
  KeyframeAsks,
  readEphFrame,
  sendMessage,
  str,
  type AgentStreamState,
  type DocumentId,
  type MessageDoc,
  type MessageId,
} from "@botschat/model";
import { reportMeasurement, giveUpAfter } from "@botschat/bench-kit";
import type { AgentBackend, AgentEvent, AgentRequest } from "../src/AgentBackend.js";
import { waitFor } from "@botschat/model/testkit";
import { startBenchPeers } from "./benchPeers.js";

const REPLY_BYTES = 20_000;
const TOKEN_CHARS = 8;
const TOKEN_EVERY_MS = 20;

giveUpAfter(150, import.meta.url);

/** A backend that writes REPLY_BYTES of prose, TOKEN_CHARS at a time, one token every TOKEN_EVERY_MS. */
class SteadyBackend implements AgentBackend {
  listAgents = () => Promise.resolve([{ id: "demo" as never, name: "Demo" }]);
  listModels = () => Promise.resolve([]);
  listSkills = () => Promise.resolve([]);
  async *answer(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const words = "the quick brown fox jumps over the lazy dog while the relay keeps only ciphertext ".repeat(400);
    let text = "";
    while (text.length < REPLY_BYTES) {
      if (request.signal.aborted) throw new Error("aborted");
      text = words.slice(0, text.length + TOKEN_CHARS);
      yield { type: "text", text };
      await new Promise((r) => setTimeout(r, TOKEN_EVERY_MS));
    }
    yield { type: "final", result: { text, model: "bench/steady" as never } };
  }
}

const w = await startBenchPeers(new SteadyBackend());
try {
  const replied = async (sent: { doc: DocumentId; message: MessageId }): Promise<boolean> =>
    Object.values((await w.device.engine.find<MessageDoc>(sent.doc)).doc().messages).some((m) => str(m.replyTo) === sent.message);

  // A whole reply, watched by one device.
  const sent = await sendMessage(w.device.engine, w.me, { channelDoc: w.channelDoc, session: w.session, text: "write twenty kilobytes" });
  const before = w.device.ephBytes();
  await waitFor([w.device.engine], () => replied(sent), "the reply", 120_000);
  await waitFor([w.device.engine], () => w.device.eph.some((e) => e.payload["done"] === true), "the stream's end", 10_000);
  const received = w.device.ephBytes() - before;
  const frames = w.device.eph.filter((e) => e.payload.type === EphType.agentStream);
  reportMeasurement({
    pkg: "plugin",
    name: "eph bytes a watching device receives per reply byte (20 KB at 50 tokens/s)",
    value: Math.round((received / REPLY_BYTES) * 100) / 100,
    unit: "×",
    budget: { op: "<=", value: 3 },
  });
  // Before: the whole reply so far in every frame, one every 30 ms while tokens came.
  const before30ms = ((REPLY_BYTES / TOKEN_CHARS) * TOKEN_EVERY_MS) / 30;
  console.log(
    `(${received} bytes in ${frames.length} frames, ${frames.filter((e) => e.payload["key"] === true).length} of them keyframes, for a ${REPLY_BYTES}-byte reply; ` +
      `the whole reply so far every 30 ms would have been ~${Math.round((before30ms * (REPLY_BYTES / 2 + 350)) / 2 ** 20)} MiB)`,
  );

  // Another reply, joined midway by another device that folds what arrives and asks for a keyframe, as the web app does.
  const second = await sendMessage(w.device.engine, w.me, { channelDoc: w.channelDoc, session: w.session, text: "and once more" });
  await waitFor([w.device.engine], () => w.device.eph.some((e) => e.payload["message"] === second.message), "the second reply to start", 10_000);
  await new Promise((r) => setTimeout(r, 2000));
  const late = await w.addDevice();
  const asks = new KeyframeAsks();
  let state: AgentStreamState | undefined;
  let firstFrameAt: number | undefined;
  let shownAt: number | undefined;
  late.engine.on("eph", ({ doc, payload }) => {
    const f = readEphFrame(payload);
    if (f?.type !== EphType.agentStream) return;
    firstFrameAt ??= performance.now();
    state = foldAgentStream(state, f) ?? state;
    if (state === undefined) return;
    if (state.behind !== true && state.message === second.message && state.text !== "") shownAt ??= performance.now();
    const ask = asks.askFor(state);
    if (ask !== undefined) late.engine.sendEph(doc, ask);
  });
  await waitFor([w.device.engine], () => shownAt !== undefined, "the device that joined to show the reply", 10_000).catch(() => undefined);
  reportMeasurement({
    pkg: "plugin",
    name: "a device joining mid-stream shows the reply so far",
    value: shownAt !== undefined && firstFrameAt !== undefined ? Math.round(shownAt - firstFrameAt) : Infinity,
    unit: "ms",
    budget: { op: "<=", value: 1000 },
  });
  w.device.engine.sendEph(second.doc, { type: EphType.agentStop, message: second.message });
  await waitFor(
    [w.device.engine],
    () => replied(second).then((r) => r || w.device.eph.some((e) => e.payload["done"] === true && e.payload["error"] !== undefined)),
    "the stop",
    10_000,
  );
} finally {
  await w.stop();
}
