import { describe, expect, it } from "vitest";
import {
  claimMessage,
  createSession,
  EphType,
  findPendingMessages,
  MemoryDocStore,
  sendMessage,
  sortedMessages,
  STOPPED_REASON,
  type AgentId,
  type GatewayId,
  type MessageView,
  type ModelId,
  type PageDoc,
  type PendingMessage,
  type RunId,
} from "@botschat/model";
import { testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import type { AgentBackend, AgentEvent, AgentRequest } from "./AgentBackend.js";
import { ReplyRunner } from "./ReplyRunner.js";
import { abortReason } from "./sleep.js";
import { testPorts, type TestPorts } from "./testPorts.js";

const model = "m/one" as ModelId;
const catalog = { agents: ["main" as AgentId], models: [{ id: model, default: true }], defaultModel: model };

/** A backend whose answers `answer` scripts; it counts the requests it was given. */
function scripted(answer: (req: AgentRequest) => AsyncIterable<AgentEvent>): AgentBackend & { requests: AgentRequest[] } {
  const requests: AgentRequest[] = [];
  return {
    requests,
    listAgents: () => Promise.resolve([{ id: "main" as AgentId, name: "Main" }]),
    listModels: () => Promise.resolve(catalog.models),
    listSkills: () => Promise.resolve([]),
    answer: (req) => {
      requests.push(req);
      return answer(req);
    },
  };
}

/** A backend that takes 20 ms to echo each message, logging when each answer starts and ends. */
function slowEcho(): { log: string[]; backend: AgentBackend & { requests: AgentRequest[] } } {
  const log: string[] = [];
  const backend = scripted(async function* (req) {
    log.push(`start ${req.text}`);
    await new Promise((r) => setTimeout(r, 20));
    log.push(`end ${req.text}`);
    yield { type: "final", result: { text: `re: ${req.text}`, model } };
  });
  return { log, backend };
}

async function* hello(): AsyncGenerator<AgentEvent> {
  yield { type: "text", text: "Hel" };
  yield { type: "text", text: "Hello" };
  yield { type: "final", result: { text: "Hello there", model } };
}

async function setup(backend: AgentBackend, text = "Hi"): Promise<{ w: TestWorkspace; t: TestPorts; runner: ReplyRunner; pending: PendingMessage }> {
  const w = await testWorkspace();
  await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  const t = testPorts(w.store);
  const runner = new ReplyRunner({ ...t.ports, backend, catalog: () => catalog, renewEveryMs: 60_000, quietMs: 180_000, streamEveryMs: 0 });
  const [pending] = await findPendingMessages(w.store, "gw-home" as GatewayId);
  return { w, t, runner, pending: pending! };
}

const messagesOf = async (w: TestWorkspace): Promise<MessageView[]> => sortedMessages((await w.store.find<PageDoc>(w.page)).doc());

/** A runner over a store whose claims are placed by the relay only when `place()` is called (as a relay round trip would). */
async function setupWithHeldClaims(backend: AgentBackend) {
  const w = await testWorkspace();
  await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "Hi" });
  let place!: () => void;
  const placed = new Promise<void>((r) => (place = r));
  const store = new Proxy(w.store, {
    get: (target, key) => {
      if (key === "afterAck")
        return async <T>(_doc: unknown, decide: () => T): Promise<T> => {
          await placed;
          return decide();
        };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const t = testPorts(store);
  const runner = new ReplyRunner({ ...t.ports, backend, catalog: () => catalog, renewEveryMs: 60_000, quietMs: 180_000, streamEveryMs: 0 });
  const [pending] = await findPendingMessages(w.store, "gw-home" as GatewayId);
  return { w, t, runner, pending: pending!, place };
}

describe("the reply runner", () => {
  it("claims a pending message once, streams the reply (a keyframe, then what is new) and records it once with its model", async () => {
    const backend = scripted(hello);
    const { w, t, runner, pending } = await setup(backend);
    runner.dispatch(pending);
    runner.dispatch(pending);
    await runner.settled();

    expect(backend.requests).toHaveLength(1);
    const [asked, reply, ...rest] = await messagesOf(w);
    expect(rest).toEqual([]);
    expect(asked).toMatchObject({ status: "answered", claim: { by: "gw-home" } });
    expect(reply).toMatchObject({ role: "agent", text: "Hello there", model });
    const frames = t.eph.map((e) => e.frame);
    // The first token at once, whole; the rest batched into what is new, with the end.
    expect(frames).toEqual([
      { type: EphType.agentStream, run: asked!.claim!.runId, message: pending.message, seq: 1, key: true, text: "Hel" },
      { type: EphType.agentStream, run: asked!.claim!.runId, seq: 2, textAdd: "lo there", done: true },
    ]);
    expect(t.activity.map((a) => a.type)).toEqual(["answering", "answered"]);
    expect(t.activity[0]).toMatchObject({ where: "General › First", model, conversation: `session:${w.session}` });
    expect(runner.activeRuns()).toEqual([]);
  });

  it("records a backend failure on the message as an error with its reason, and ends the stream with it", async () => {
    const backend = scripted(async function* () {
      yield { type: "text", text: "Hm" };
      throw new Error("the model is away");
    });
    const { w, t, runner, pending } = await setup(backend);
    runner.dispatch(pending);
    await runner.settled();
    const [asked, ...rest] = await messagesOf(w);
    expect(asked).toMatchObject({ status: "error", error: "the model is away" });
    expect(rest).toEqual([]);
    expect(t.eph.at(-1)!.frame).toMatchObject({ done: true, error: "the model is away" });
    expect(t.activity.at(-1)).toMatchObject({ type: "failed", reason: "the model is away" });
  });

  it("honours a Stop for the message: the run ends, the message is marked interrupted, no reply is recorded; a Stop naming another run is ignored", async () => {
    let streaming!: () => void;
    const started = new Promise<void>((r) => (streaming = r));
    const backend = scripted(async function* (req) {
      yield { type: "text", text: "Once upon" };
      streaming();
      await new Promise((_r, reject) => req.signal.addEventListener("abort", () => reject(abortReason(req.signal))));
    });
    const { w, t, runner, pending } = await setup(backend);
    runner.dispatch(pending);
    await started;
    runner.onEph(pending.doc, { type: EphType.agentStop, message: pending.message, run: "i-other-1" as RunId });
    expect(backend.requests[0]!.signal.aborted).toBe(false);
    runner.onEph(pending.doc, { type: EphType.agentStop, message: pending.message });
    await runner.settled();

    const [asked, ...rest] = await messagesOf(w);
    expect(asked).toMatchObject({ status: "interrupted", error: STOPPED_REASON });
    expect(rest).toEqual([]);
    expect(t.activity.at(-1)).toMatchObject({ type: "interrupted", message: pending.message });
  });

  it("answers /help itself, never asking the backend", async () => {
    const backend = scripted(hello);
    const { w, runner, pending } = await setup(backend, "/help");
    runner.dispatch(pending);
    await runner.settled();
    const [asked, reply] = await messagesOf(w);
    expect(asked!.status).toBe("answered");
    expect(reply!.text).toContain("/model");
    expect(backend.requests).toEqual([]);
  });

  it("begins the answer while its claim travels, and shows or records nothing before the claim is placed", async () => {
    const backend = scripted(hello);
    const { w, t, runner, pending, place } = await setupWithHeldClaims(backend);
    runner.dispatch(pending);
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.requests).toHaveLength(1);
    expect(t.eph).toEqual([]);
    expect(t.activity).toEqual([]);
    expect((await messagesOf(w)).filter((m) => m.role === "agent")).toEqual([]);
    place();
    await runner.settled();
    expect((await messagesOf(w)).filter((m) => m.role === "agent").map((m) => m.text)).toEqual(["Hello there"]);
    expect(t.activity.map((a) => a.type)).toEqual(["answering", "answered"]);
    expect(t.eph.length).toBeGreaterThan(0);
  });

  it("a backend that fails before the claim is placed fails the message once it is (and nothing else)", async () => {
    const backend = scripted(() => {
      throw new Error("This gateway does not offer the model.");
    });
    const { w, t, runner, pending, place } = await setupWithHeldClaims(backend);
    runner.dispatch(pending);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.activity).toEqual([]);
    place();
    await runner.settled();
    const [asked, ...rest] = await messagesOf(w);
    expect(rest).toEqual([]);
    expect(asked).toMatchObject({ status: "error", error: "This gateway does not offer the model." });
    expect(t.activity.map((a) => a.type)).toEqual(["answering", "failed"]);
  });

  it("stops quietly when the claim it began with turns out to be another instance's: nothing shown, recorded or marked", async () => {
    const other = new MemoryDocStore();
    const backend = scripted(async function* (req) {
      yield { type: "text", text: "Hel" };
      // A model that thinks for a while: the run is stopped meanwhile.
      await new Promise((r, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason as Error)));
      yield { type: "final", result: { text: "never", model } };
    });
    const { w, t, runner, pending, place } = await setupWithHeldClaims(backend);
    other.syncFrom(w.store);
    await claimMessage(other, { gateway: "gw-home" as GatewayId, now: () => 1 }, { doc: pending.doc, message: pending.message, runId: "i-other-1" as RunId });
    runner.dispatch(pending);
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.requests).toHaveLength(1);
    // The relay places the other instance's earlier claim first.
    w.store.syncFrom(other);
    place();
    await runner.settled();
    expect(backend.requests[0]!.signal.aborted).toBe(true);
    const [asked, ...rest] = await messagesOf(w);
    expect(rest).toEqual([]);
    expect(asked!.claim!.runId).toBe("i-other-1");
    expect(asked!.status).not.toBe("interrupted");
    expect(t.eph).toEqual([]);
    expect(t.activity.map((a) => a.type)).toEqual(["lost"]);
  });

  it("stops at its next event when another instance's claim turns out to come first, and records nothing", async () => {
    const other = new MemoryDocStore();
    const backend = scripted(async function* () {
      yield { type: "text", text: "Hel" };
      // Another instance claimed the message earlier while the two were apart; now they meet.
      w.store.syncFrom(other);
      yield { type: "text", text: "Hello" };
      yield { type: "final", result: { text: "Hello there", model } };
    });
    const { w, t, runner, pending } = await setup(backend);
    other.syncFrom(w.store);
    await claimMessage(other, { gateway: "gw-home" as GatewayId, now: () => 1 }, { doc: pending.doc, message: pending.message, runId: "i-other-1" as RunId });
    runner.dispatch(pending);
    await runner.settled();

    const [asked, ...rest] = await messagesOf(w);
    expect(asked!.claim!.runId).toBe("i-other-1");
    expect(rest).toEqual([]);
    expect(backend.requests[0]!.signal.aborted).toBe(true);
    expect(t.activity.at(-1)).toMatchObject({ type: "lost" });
  });

  it("marks interrupted this instance's runs that a crash left open, and leaves another instance's recent ones alone", async () => {
    const { w, t, runner, pending } = await setup(scripted(hello));
    const second = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "And?" });
    const before = { ...t.ports.actor, now: () => Date.now() - 1000 };
    await claimMessage(w.store, before, { doc: pending.doc, message: pending.message, runId: "i-test-old" as RunId });
    await claimMessage(w.store, t.ports.actor, { doc: second.doc, message: second.message, runId: "i-other-live" as RunId });
    await runner.sweepOpenRuns();

    const [mine, theirs] = await messagesOf(w);
    expect(mine).toMatchObject({ status: "interrupted" });
    expect(theirs).toMatchObject({ status: "received" });
    expect(t.activity).toEqual([{ type: "interrupted", message: pending.message, run: "i-test-old" }]);
  });

  it("answers one conversation in the order it was written, one message at a time, whatever order they were found in", async () => {
    const { log, backend } = slowEcho();
    const { w, runner } = await setup(backend, "first");
    await sendMessage(w.store, { ...w.me, now: () => Date.now() + 5 }, { channelDoc: w.channelDoc, session: w.session, text: "second" });
    const pending = await findPendingMessages(w.store, "gw-home" as GatewayId);
    expect(pending).toHaveLength(2);
    // Found second-first (as a scan may find them): still answered first-first, one at a time.
    for (const p of [...pending].reverse()) runner.dispatch(p);
    await runner.settled();
    expect(log).toEqual(["start first", "end first", "start second", "end second"]);
    const texts = (await messagesOf(w)).map((m) => m.text);
    expect(texts.indexOf("re: first")).toBeLessThan(texts.indexOf("re: second"));
  });

  it("answers different sessions side by side", async () => {
    const { log, backend } = slowEcho();
    const { w, runner } = await setup(backend, "in the first session");
    const other = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Second" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: other.session, text: "in the second session" });
    for (const p of await findPendingMessages(w.store, "gw-home" as GatewayId)) runner.dispatch(p);
    await runner.settled();
    expect(log.slice(0, 2).every((l) => l.startsWith("start"))).toBe(true);
  });
});
