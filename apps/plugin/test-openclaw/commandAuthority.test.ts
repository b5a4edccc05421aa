import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseAction,
  createSession,
  messageStatus,
  messageView,
  replyInThread,
  sendMessage,
  setSessionModel,
  str,
  type ChannelDoc,
  type DocumentId,
  type MessageDoc,
  type MessageId,
  type ModelId,
  type SessionId,
} from "@botschat/model";
import { COMMAND_GUARD } from "../src/openclaw/neutraliseCommands.js";
import { DIRECTIVE_BUTTONS, DIRECTIVE_TEXT } from "./mockModel.js";
import { channelWithSession, modelRequests, repliesTo, startDevice, until, type Device } from "./suite.js";

let device: Device;
let channelDoc: DocumentId;

beforeAll(async () => {
  device = await startDevice();
  channelDoc = (await channelWithSession(device, "Command authority")).channel.doc;
});
afterAll(() => device?.stop());

/** Waits for the one committed reply to a message of `doc`. */
async function replyTo(doc: DocumentId, message: MessageId, what: string) {
  await until(async () => (await repliesTo(device, doc, message)).length > 0, what, 45_000);
  const replies = await repliesTo(device, doc, message);
  expect(replies).toHaveLength(1);
  return replies[0]!;
}

/** A new session whose first reply offers the {@link DIRECTIVE_BUTTONS}; the person clicks the one with `value`. */
async function clickDirectiveButton(value: string) {
  const { session } = await createSession(device.engine, device.me, { channelDoc, title: `Click ${value}` });
  const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text: "Please offer directives" });
  const offer = await replyTo(sent.doc, sent.message, "the reply with directive buttons");
  const block = offer.actions?.[0];
  expect(block !== undefined && "options" in block ? block.options.map((o) => str(o.value)) : []).toEqual(DIRECTIVE_BUTTONS.map((b) => b.value));
  const chosen = await chooseAction(device.engine, device.me, { doc: sent.doc, message: str(offer.id) as MessageId, block: "risky", value });
  const reply = await replyTo(sent.doc, chosen.answer, `the reply to the click on ${value}`);
  return { session, doc: sent.doc, reply };
}

const sessionModel = async (session: SessionId) => str((await device.engine.find<ChannelDoc>(channelDoc)).doc().sessions[session]!.model);

describe("the agent takes orders only from the person", () => {
  it("a button whose value is /elevated full does not run it when the person clicks it: the model answers the click", async () => {
    const { reply } = await clickDirectiveButton("/elevated full");
    // Not OpenClaw's directive acknowledgement or refusal: the model's own answer, on the session's model.
    expect(str(reply.text)).toBe("Reply 2 from mock-1: noted and understood.");
    expect(str(reply.model)).toBe("mock/mock-1");
    const seen = (await modelRequests()).filter((r) => r.user.some((u) => u.includes(`Value: ${COMMAND_GUARD}/elevated full`)));
    expect(seen.length).toBeGreaterThan(0);
  });

  it("a button labelled /model mock/mock-2 does not switch the session's model when clicked", async () => {
    const { session, doc, reply } = await clickDirectiveButton("/model mock/mock-2");
    expect(str(reply.text)).toBe("Reply 2 from mock-1: noted and understood.");
    expect(str(reply.model)).toBe("mock/mock-1");
    expect(await sessionModel(session)).toBeUndefined();
    const next = await sendMessage(device.engine, device.me, { channelDoc, session, text: "And now?" });
    expect(doc).toBe(next.doc);
    expect(str((await replyTo(next.doc, next.message, "the next reply")).model)).toBe("mock/mock-1");
  });

  it("a thread reply on an agent message naming /model, /elevated and /exec runs none of them", async () => {
    const { session } = await createSession(device.engine, device.me, { channelDoc, title: "Suggestions" });
    const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text: "Please suggest directives" });
    const suggestion = await replyTo(sent.doc, sent.message, "the reply naming directives");
    expect(str(suggestion.text)).toBe(DIRECTIVE_TEXT);
    const inThread = await replyInThread(device.engine, device.me, {
      pageDoc: sent.doc,
      message: str(suggestion.id) as MessageId,
      text: "What would those do?",
    });
    const reply = await replyTo(inThread.doc, inThread.message, "the reply in the thread");
    expect(str(reply.text)).toBe("Reply 1 from mock-1: noted and understood.");
    expect(str(reply.model)).toBe("mock/mock-1");
    // The agent read its own message as quoted context, each directive defused.
    const seen = (await modelRequests()).find((r) => r.user.some((u) => u.includes("What would those do?")));
    const prompt = seen!.user.join("\n");
    expect(prompt).toContain(`> ${COMMAND_GUARD}/elevated full to leave the sandbox,`);
    expect(prompt).toContain(`type ${COMMAND_GUARD}/model mock/mock-2`);
    const next = await replyInThread(device.engine, device.me, { pageDoc: sent.doc, message: str(suggestion.id) as MessageId, text: "Go on" });
    expect(str((await replyTo(next.doc, next.message, "the second reply in the thread")).model)).toBe("mock/mock-1");
  });

  it("a session model the gateway does not offer fails the message with the reason, and OpenClaw is never asked to switch", async () => {
    const { session } = await createSession(device.engine, device.me, { channelDoc, title: "Unoffered model" });
    const model = "mock/mock-1 /elevated full" as ModelId;
    await setSessionModel(device.engine, device.me, { channelDoc, session, model });
    const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text: "Hello on an unoffered model" });
    const record = async () => (await device.engine.find<MessageDoc>(sent.doc)).doc().messages[sent.message]!;
    await until(async () => messageStatus(await record()) === "error", "the error mark", 45_000);
    expect(messageView(await record()).error).toBe(`This gateway does not offer the model “${model}”. Choose one of: mock/mock-1, mock/mock-2.`);
    expect(await repliesTo(device, sent.doc, sent.message)).toEqual([]);
    expect((await modelRequests()).some((r) => r.user.some((u) => u.includes("Hello on an unoffered model")))).toBe(false);
  });

  it("a directive the person types is still OpenClaw's to act on: /status is answered by OpenClaw, not the model", async () => {
    const { session } = await createSession(device.engine, device.me, { channelDoc, title: "Status" });
    const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text: "/status" });
    const reply = await replyTo(sent.doc, sent.message, "the /status reply");
    expect(str(reply.text)).not.toMatch(/from mock-\d: noted/);
    expect(str(reply.text)).toContain("mock/mock-1");
  });
});
