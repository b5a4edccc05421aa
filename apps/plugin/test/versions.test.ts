import { describe, expect, it } from "vitest";
import {
  editMessage,
  MemoryDocStore,
  regenerateReply,
  replyInThread,
  sendMessage,
  sortedMessages,
  type AgentId,
  type DocumentId,
  type GatewayId,
  type MessageId,
  type MessageView,
  type ModelId,
  type PageDoc,
} from "@botschat/model";
import { testDevice, testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import type { AgentBackend, AgentRequest } from "../src/AgentBackend.js";
import { DEMO_MODELS, DemoBackend } from "../src/DemoBackend.js";
import { ReplyRunner } from "../src/ReplyRunner.js";
import { testPorts } from "../src/testPorts.js";
import { WorkFinder } from "../src/WorkFinder.js";

const gateway = "gw-home" as GatewayId;
const fast = "demo/fast" as ModelId;

/** The demo agent, remembering every request it was given. */
function demo(): AgentBackend & { requests: AgentRequest[] } {
  const inner = new DemoBackend({ delayMs: 0 });
  const requests: AgentRequest[] = [];
  return {
    requests,
    listAgents: () => inner.listAgents(),
    listModels: () => inner.listModels(),
    listSkills: () => inner.listSkills(),
    answer: (request) => {
      requests.push(request);
      return inner.answer(request);
    },
  };
}

/** One agent peer's finding and answering parts over `store`, as `AgentPeer` wires them. */
function agent(store: MemoryDocStore, instance = "i-one") {
  const backend = demo();
  const t = testPorts(store, { instance });
  const catalog = { agents: ["main" as AgentId], models: DEMO_MODELS, defaultModel: "demo/smart" as ModelId };
  const replies = new ReplyRunner({ ...t.ports, backend, catalog: () => catalog, renewEveryMs: 60_000, quietMs: 180_000, streamEveryMs: 0 });
  const finder = new WorkFinder({
    store,
    gateway,
    agents: () => catalog.agents,
    live: () => true,
    stopped: () => false,
    onMessage: (p) => replies.dispatch(p),
    problem: (what, e) => t.problems.push(`${what}: ${String(e)}`),
  });
  /** A full scan (as on start or back online), then every answer it started. */
  const scan = async (): Promise<void> => {
    finder.rescan(0);
    await new Promise((r) => setTimeout(r, 5));
    await finder.settled();
    await replies.settled();
  };
  /** Another device changed `doc`: an incremental look, then every answer it started. */
  const changed = async (doc: DocumentId): Promise<void> => {
    finder.changed(doc, false);
    await new Promise((r) => setTimeout(r, 20));
    await finder.settled();
    await replies.settled();
  };
  return { backend, replies, finder, scan, changed, problems: t.problems };
}

const rows = async (store: MemoryDocStore, page: DocumentId): Promise<MessageView[]> => sortedMessages((await store.find<PageDoc>(page)).doc());

async function answeredQuestion(text: string): Promise<{ w: TestWorkspace; a: ReturnType<typeof agent>; message: MessageId; reply: MessageId }> {
  const w = await testWorkspace();
  const a = agent(w.store);
  await a.scan();
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  await a.changed(w.page);
  const [, reply] = await rows(w.store, w.page);
  return { w, a, message, reply: reply!.id };
}

describe("regenerate and edit, answered by the agent peer", () => {
  it("answers a request for another answer once, with the model asked for, and keeps the first answer as a version", async () => {
    const { w, a, reply } = await answeredQuestion("hello there");
    expect(a.backend.requests.map((r) => r.model)).toEqual(["demo/smart"]);
    await regenerateReply(w.store, w.me, { doc: w.page, message: reply, model: fast });
    await a.changed(w.page);
    // Looked at again (a full scan, the same change seen twice): nothing more to answer.
    await a.scan();
    await a.changed(w.page);

    expect(a.backend.requests.map((r) => [r.text, r.model, r.version])).toEqual([
      ["hello there", "demo/smart", undefined],
      ["hello there", fast, "regenerate"],
    ]);
    const [asked, ...rest] = await rows(w.store, w.page);
    expect(rest).toHaveLength(1);
    const versions = asked!.versions!;
    expect(versions.map((v) => [v.kind, v.ask.status, v.reply?.model])).toEqual([
      ["original", "answered", "demo/smart"],
      ["regenerate", "answered", "demo/fast"],
    ]);
    expect(versions[1]!.reply!.text).toContain("model `demo/fast`");
    expect(versions[0]!.reply!.text).toContain("model `demo/smart`");
    expect(a.problems).toEqual([]);
  });

  it("answers the edited text of an edited message, once", async () => {
    const { w, a, message } = await answeredQuestion("what is the captial?");
    await editMessage(w.store, w.me, { doc: w.page, message, text: "what is the capital?" });
    await a.changed(w.page);
    await a.scan();
    expect(a.backend.requests.map((r) => [r.text, r.version])).toEqual([
      ["what is the captial?", undefined],
      ["what is the capital?", "edit"],
    ]);
    const [asked] = await rows(w.store, w.page);
    expect(asked!.versions!.map((v) => v.reply?.text.includes("You said: *what is the capital?*"))).toEqual([false, true]);
  });

  it("answers requests two offline devices made at once, and an edit, each exactly once, also after a restart", async () => {
    const { w, a, message, reply } = await answeredQuestion("tell me something");
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    // Both devices offline: each asks for another answer, the laptop also edits.
    await regenerateReply(w.store, w.me, { doc: w.page, message: reply, model: fast });
    await regenerateReply(phone, testDevice(2), { doc: w.page, message: reply });
    await editMessage(w.store, w.me, { doc: w.page, message, text: "tell me something new" });
    w.store.syncFrom(phone);
    // The agent comes back online: its full scan finds the queue.
    await a.scan();
    expect(a.backend.requests.slice(1).map((r) => r.version)).toEqual(["regenerate", "regenerate", "edit"]);
    expect(
      a.backend.requests
        .filter((r) => r.version === "regenerate")
        .map((r) => r.model)
        .sort(),
    ).toEqual([fast, "demo/smart"]);

    // After a restart (a new instance over the same documents), nothing is answered again.
    const again = agent(w.store, "i-two");
    await again.scan();
    await again.changed(w.page);
    expect(again.backend.requests).toEqual([]);
    const [asked] = await rows(w.store, w.page);
    expect(asked!.versions!.map((v) => v.ask.status)).toEqual(["answered", "answered", "answered", "answered"]);
    expect(asked!.versions!.every((v) => v.reply !== undefined)).toBe(true);
  });

  it("gives a thread on an edited message the message as it reads now", async () => {
    const { w, a, message } = await answeredQuestion("first wording");
    await editMessage(w.store, w.me, { doc: w.page, message, text: "second wording" });
    await a.changed(w.page);
    const q = await replyInThread(w.store, w.me, { pageDoc: w.page, message, text: "why?" });
    await a.changed(q.doc);
    expect(a.backend.requests.at(-1)).toMatchObject({ text: "why?", parent: { id: message, text: "second wording" } });
  });
});
