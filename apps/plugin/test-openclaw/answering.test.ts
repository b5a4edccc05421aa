import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseAction,
  createSession,
  messageView,
  openRoot,
  replyInThread,
  sendMessage,
  str,
  type DocumentId,
  type GatewayId,
  type MessageId,
  type SessionId,
} from "@botschat/model";
import { REASONING, RICH_BLOCKS } from "./mockModel.js";
import { channelWithSession, GATEWAY_ID, modelRequests, repliesTo, startDevice, streamedReplies, until, type Device } from "./suite.js";

let device: Device;
let channelDoc: DocumentId;
let sessionA: SessionId;

beforeAll(async () => {
  device = await startDevice();
  const made = await channelWithSession(device, "Answering");
  channelDoc = made.channel.doc;
  sessionA = made.session;
});
afterAll(() => device?.stop());

/** Sends a message and waits for the committed reply; answers the sent message and the reply. */
async function ask(session: SessionId, text: string) {
  const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text });
  await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, `the reply to “${text}”`, 45_000);
  const replies = await repliesTo(device, sent.doc, sent.message);
  expect(replies).toHaveLength(1);
  return { sent, reply: replies[0]! };
}

describe("an OpenClaw gateway answers a BotsChat workspace through the real relay", () => {
  it("publishes its gateway with the agents and models of OpenClaw's config", async () => {
    const gw = (await openRoot(device.engine)).doc().gateways[GATEWAY_ID as GatewayId]!;
    expect(str(gw.name)).toBe("Test OpenClaw");
    expect(gw.agents.map((a) => str(a.id))).toEqual(["main"]);
    expect(gw.models.map((m) => str(m.id))).toEqual(["mock/mock-1", "mock/mock-2"]);
    expect(str(gw.defaultModel)).toBe("mock/mock-1");
  });

  it("a message is answered by the OpenClaw agent: streamed as eph frames, then committed once with its model", async () => {
    const { sent, reply } = await ask(sessionA, "Hello OpenClaw");
    expect(str(reply.text)).toBe("Reply 1 from mock-1: noted and understood.");
    expect(str(reply.model)).toBe("mock/mock-1");
    const states = streamedReplies(device, sent.message);
    const texts = states.map((s) => s.text).filter((t) => t !== "");
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(str(reply.text).startsWith(t)).toBe(true);
    expect(states.at(-1)).toMatchObject({ done: true, text: str(reply.text) });
    expect(states[0]!.run).toBe(str(reply.run));
    // The channel's hints (agentPrompt.messageToolHints) tell the agent how to offer buttons.
    const asked = (await modelRequests()).filter((r) => r.user.some((u) => u.includes("Hello OpenClaw")));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.actionHints)).toBe(true);
  });

  it("reasoning the model streams reaches the device in the eph frames and is kept on the committed reply", async () => {
    const b = await createSession(device.engine, device.me, { channelDoc, title: "Thinking" });
    const { sent, reply } = await ask(b.session, "Please think first");
    expect(str(reply.text)).toBe("I thought it over, says mock-1.");
    expect(str(reply.reasoning)).toBe(REASONING);
    const thoughts = streamedReplies(device, sent.message)
      .map((s) => s.reasoning)
      .filter((t) => t !== "");
    expect(thoughts.length).toBeGreaterThan(0);
    for (const t of thoughts) expect(REASONING.startsWith(t)).toBe(true);
  });

  it("two sessions and a thread keep separate histories", async () => {
    const second = await ask(sessionA, "And a second thing");
    expect(str(second.reply.text)).toBe("Reply 2 from mock-1: noted and understood.");
    const b = await createSession(device.engine, device.me, { channelDoc, title: "Other" });
    const inB = await ask(b.session, "Hello from B");
    expect(str(inB.reply.text)).toBe("Reply 1 from mock-1: noted and understood.");

    const threaded = await replyInThread(device.engine, device.me, { pageDoc: second.sent.doc, message: second.sent.message, text: "About that, in a thread" });
    await until(async () => (await repliesTo(device, threaded.doc, threaded.message)).length > 0, "the reply in the thread", 45_000);
    const [inThread] = await repliesTo(device, threaded.doc, threaded.message);
    expect(str(inThread!.text)).toBe("Reply 1 from mock-1: noted and understood.");
    const seen = (await modelRequests()).find((r) => r.user.some((u) => u.includes("About that, in a thread")));
    expect(seen!.user.join("\n")).toContain("And a second thing");
  });

  it("a reply's radio group, cards and form reach the person as blocks, an unknown block as text; a form's fields reach the agent as one answer", async () => {
    const b = await createSession(device.engine, device.me, { channelDoc, title: "Forms" });
    const { sent, reply } = await ask(b.session, "Please offer a form");
    const view = messageView(reply);
    expect(view.actions?.map((a) => a.kind)).toEqual(["radio", "cards", "form"]);
    expect(view.actions?.[1]).toEqual(RICH_BLOCKS[1]);
    expect(view.text).toBe("Fill this in, please.\n\nSpin the carousel\n- Round and round");
    const chosen = await chooseAction(device.engine, device.me, {
      doc: sent.doc,
      message: str(reply.id) as MessageId,
      block: "ticket",
      value: JSON.stringify({ title: "Broken printer", count: 2, urgent: true }),
    });
    await until(async () => (await repliesTo(device, sent.doc, chosen.answer)).length > 0, "the reply to the form", 45_000);
    const seen = (await modelRequests()).filter((r) => r.user.some((u) => u.includes('Value: {"title":"Broken printer","count":2,"urgent":true}')));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.user.join("\n")).toContain("Label: Title: Broken printer");
  });

  it("/model switches the model of one session only", async () => {
    const b = await createSession(device.engine, device.me, { channelDoc, title: "Switched" });
    await ask(b.session, "/model mock/mock-2");
    const inB = await ask(b.session, "Which model now?");
    expect(str(inB.reply.model)).toBe("mock/mock-2");
    expect(str(inB.reply.text)).toContain("from mock-2");
    const inA = await ask(sessionA, "And here?");
    expect(str(inA.reply.model)).toBe("mock/mock-1");
    expect(str(inA.reply.text)).toContain("from mock-1");
  });
});
