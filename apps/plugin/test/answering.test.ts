import { describe, expect, it } from "vitest";
import {
  chooseAction,
  messageStatus,
  messageView,
  openRoot,
  replyInThread,
  sendMessage,
  setSessionModel,
  str,
  type ChannelDoc,
  type GatewayId,
  type ModelId,
  type MessageDoc,
  type SessionId,
} from "@botschat/model";
import { memoryRelayForFile } from "./relayForFile.js";
import { EphType, STOPPED_REASON } from "@botschat/model";
import type { AgentPeer } from "../src/AgentPeer.js";
import { channelWithSession, repliesTo, startAgent, startDevice, streamedReplies, until, type Device } from "./workspace.js";

// The relay is only the transport here: MemoryRelay (the relay process stays in cli.test.ts).
const fx = memoryRelayForFile();

async function setup(opts: Parameters<typeof startAgent>[1] = {}): Promise<{ device: Device; peer: AgentPeer }> {
  const device = await startDevice(fx.on);
  fx.stops.push(() => device.stop());
  const { peer } = await startAgent(device, opts);
  fx.stops.push(() => peer.stop());
  return { device, peer };
}

describe("the agent peer answers through the relay", () => {
  it("publishes its gateway with agents, models, the default model, its skills and its pairing token's id", async () => {
    const { device, peer } = await setup();
    await channelWithSession(device);
    const gw = (await openRoot(device.engine)).doc().gateways["gw-test" as GatewayId]!;
    expect(str(gw.name)).toBe("Test demo agent");
    expect(gw.agents.map((a) => str(a.id))).toEqual(["demo"]);
    expect(gw.models.map((m) => str(m.id))).toEqual(["demo/fast", "demo/smart", "demo/creative"]);
    expect(str(gw.defaultModel)).toBe("demo/smart");
    // What `/skills` lists, for the composer to suggest.
    expect(gw.skills?.map((k) => str(k.name))).toEqual(["markdown", "actions", "web_search"]);
    expect(str(gw.skills![0]!.description)).toMatch(/headings, lists/);
    // The pairing token it connects with, so that revoking the token retires this gateway.
    expect(str(gw.token)).toMatch(/^d_/);
    expect(str(gw.token)).toBe(peer.engine.tokenId);
  });

  it("finds new messages in the documents that changed, without reading the whole workspace again", async () => {
    const { device, peer } = await setup();
    const { channel, session } = await channelWithSession(device);
    const first = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "hello" });
    await until(async () => (await repliesTo(device, first.doc, first.message)).length > 0, "the first reply");
    const before = peer.scanCounts();
    for (const text of ["one", "two", "three"]) {
      const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text });
      await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, `the reply to “${text}”`);
    }
    const after = peer.scanCounts();
    expect(after.full).toBe(before.full);
    expect(after.incremental).toBeGreaterThanOrEqual(before.incremental + 3);
  });

  it("streams a reply as eph frames the device sees, then commits it once with its model", async () => {
    const { device } = await setup({ delayMs: 2 });
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "write some code" });
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the committed reply");
    const [reply] = await repliesTo(device, sent.doc, sent.message);
    expect(str(reply!.model)).toBe("demo/smart");
    expect(str(reply!.text)).toMatch(/```ts\n[\s\S]+```/);
    expect(str(reply!.reasoning)).toContain("write some code");

    const frames = device.eph.filter((e) => e.doc === sent.doc && e.payload.type === EphType.agentStream && e.payload["run"] === str(reply!.run));
    expect(frames.length).toBeGreaterThan(1);
    const seqs = frames.map((f) => f.payload["seq"] as number);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // The first frame holds the whole state and names the message; the others only what is new.
    expect(frames[0]!.payload).toMatchObject({ key: true, message: sent.message });
    expect(frames.slice(1).every((f) => f.payload["text"] === undefined && f.payload["message"] === undefined)).toBe(true);
    const states = streamedReplies(device, sent.message);
    expect(new Set(states.map((s) => s.run))).toEqual(new Set([str(reply!.run)]));
    for (const s of states) expect(str(reply!.text).startsWith(s.text)).toBe(true);
    expect(states.at(-1)).toMatchObject({ done: true, text: str(reply!.text) });
    const page = (await device.engine.find<MessageDoc>(sent.doc)).doc();
    expect(messageStatus(page.messages[sent.message]!)).toBe("answered");
  });

  it("a device that joins mid-stream asks for a keyframe and is shown the whole reply so far, not only the tokens after it joined", async () => {
    const { device } = await setup({ delayMs: 15 });
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "tell me a long story" });
    await until(() => streamedReplies(device, sent.message).some((s) => s.text.length > 40), "the reply to be well under way");
    const late = await startDevice(fx.on, device);
    fx.stops.push(() => late.stop());
    const run = streamedReplies(device, sent.message)[0]!.run;
    const ofRun = () => late.eph.filter((e) => e.payload.type === EphType.agentStream && e.payload["run"] === run);
    await until(() => ofRun().length > 0, "a frame on the device that joined");
    // What follows frames it missed, without the message it answers: nothing to show yet, so it
    // asks, as the web app does.
    expect(ofRun()[0]!.payload["key"]).toBeUndefined();
    expect(streamedReplies(late, sent.message)).toEqual([]);
    expect(late.engine.sendEph(sent.doc, { type: EphType.streamSync, run })).toBe(true);
    const caughtUp = () => streamedReplies(late, sent.message).find((s) => s.behind === undefined);
    await until(() => caughtUp() !== undefined, "a keyframe on the device that joined");
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the committed reply");
    const [reply] = await repliesTo(device, sent.doc, sent.message);
    expect(caughtUp()!.seq).toBeGreaterThan(1);
    expect(caughtUp()!.text.startsWith("## Demo reply")).toBe(true);
    expect(str(reply!.text).startsWith(caughtUp()!.text)).toBe(true);
    expect(streamedReplies(late, sent.message).at(-1)).toMatchObject({ done: true, text: str(reply!.text) });
  });

  it("answers a message written while it was disconnected once it is back", async () => {
    const { device, peer } = await setup();
    const { channel, session } = await channelWithSession(device);
    peer.engine.disconnect();
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "are you there?" });
    await device.engine.whenIdle();
    peer.engine.reconnectNow();
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the reply after the reconnection");
    expect(await repliesTo(device, sent.doc, sent.message)).toHaveLength(1);
  });

  it("a reply in a thread goes to the thread's conversation with the parent message as context", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    const parent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "Plan the garden party" });
    await until(async () => (await repliesTo(device, parent.doc, parent.message)).length > 0, "the reply to the parent");
    const inThread = await replyInThread(device.engine, device.me, { pageDoc: parent.doc, message: parent.message, text: "and the drinks?" });
    await until(async () => (await repliesTo(device, inThread.doc, inThread.message)).length > 0, "the reply in the thread");
    const [reply] = await repliesTo(device, inThread.doc, inThread.message);
    expect(str(reply!.text)).toContain("> In reply to: Plan the garden party");
    expect(str(reply!.text)).toContain(`\`thread:${inThread.doc}\``);
    expect(str(reply!.text)).toContain("Message 1 of conversation");
  });

  it("a chosen action reaches the agent as the person's answer", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "let me choose a colour" });
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the reply with buttons");
    const [withButtons] = await repliesTo(device, sent.doc, sent.message);
    expect(str(withButtons!.actions?.[0]?.kind)).toBe("buttons");
    const chosen = await chooseAction(device.engine, device.me, { doc: sent.doc, message: str(withButtons!.id), block: "pick-colour", value: "green" });
    await until(async () => (await repliesTo(device, sent.doc, chosen.answer)).length > 0, "the reply to the choice");
    const [reply] = await repliesTo(device, sent.doc, chosen.answer);
    expect(str(reply!.text)).toContain("You chose **Green** (`green`) on block `pick-colour`");
  });

  it("an action whose label is a slash command is the person's choice, not their command: /model on a button switches nothing", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "let me choose a colour" });
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the reply with buttons");
    const [withButtons] = await repliesTo(device, sent.doc, sent.message);
    const chosen = await chooseAction(device.engine, device.me, {
      doc: sent.doc,
      message: str(withButtons!.id),
      block: "pick-colour",
      value: "green",
      label: "/model demo/fast",
    });
    await until(async () => (await repliesTo(device, sent.doc, chosen.answer)).length > 0, "the reply to the choice");
    const [reply] = await repliesTo(device, sent.doc, chosen.answer);
    expect(str(reply!.text)).toContain("You chose **/model demo/fast** (`green`) on block `pick-colour`");
    expect(str(reply!.model)).toBe("demo/smart");
    expect((await device.engine.find<ChannelDoc>(channel.doc)).doc().sessions[session as SessionId]!.model).toBeUndefined();
  });

  it("/model switches the session's model and the next reply uses it; /help answers without the backend", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    const cmd = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "/model demo/fast" });
    await until(async () => (await repliesTo(device, cmd.doc, cmd.message)).length > 0, "the /model reply");
    expect(str((await repliesTo(device, cmd.doc, cmd.message))[0]!.text)).toContain("now uses `demo/fast`");
    const channelDoc = (await device.engine.find<ChannelDoc>(channel.doc)).doc();
    expect(str(channelDoc.sessions[session as SessionId]!.model)).toBe("demo/fast");
    const next = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "hello" });
    await until(async () => (await repliesTo(device, next.doc, next.message)).length > 0, "the next reply");
    expect(str((await repliesTo(device, next.doc, next.message))[0]!.model)).toBe("demo/fast");
    const help = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "/help" });
    await until(async () => (await repliesTo(device, help.doc, help.message)).length > 0, "the /help reply");
    expect(str((await repliesTo(device, help.doc, help.message))[0]!.text)).toContain("`/skills`");
  });

  it("a model chosen for the session on the device reaches the backend, and a message's own model wins over it", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    await setSessionModel(device.engine, device.me, { channelDoc: channel.doc, session, model: "demo/creative" as ModelId });
    const a = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "hello" });
    const b = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "hello", model: "demo/fast" as ModelId });
    await until(async () => (await repliesTo(device, b.doc, b.message)).length > 0 && (await repliesTo(device, a.doc, a.message)).length > 0, "both replies");
    expect(str((await repliesTo(device, a.doc, a.message))[0]!.model)).toBe("demo/creative");
    expect(str((await repliesTo(device, b.doc, b.message))[0]!.model)).toBe("demo/fast");
  });

  it("a Stop from the device ends the reply early: the message is marked interrupted with the reason, no reply is committed", async () => {
    const { device } = await setup({ delayMs: 5 });
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "tell me a long story" });
    await until(() => streamedReplies(device, sent.message).some((s) => s.text !== ""), "the reply to be under way");
    const run = streamedReplies(device, sent.message)[0]!.run;
    expect(device.engine.sendEph(sent.doc, { type: EphType.agentStop, message: sent.message, run })).toBe(true);
    const record = async () => (await device.engine.find<MessageDoc>(sent.doc)).doc().messages[sent.message]!;
    await until(async () => messageStatus(await record()) === "interrupted", "the interrupted mark");
    expect(messageView(await record()).error).toBe(STOPPED_REASON);
    await until(() => streamedReplies(device, sent.message).at(-1)?.done === true, "the stream's end");
    expect(streamedReplies(device, sent.message).at(-1)).toMatchObject({ done: true, error: STOPPED_REASON });
    expect(await repliesTo(device, sent.doc, sent.message)).toEqual([]);
  });

  it("a Stop naming another run, or another message, leaves the reply alone", async () => {
    const { device } = await setup({ delayMs: 1 });
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "tell me a long story" });
    await until(() => streamedReplies(device, sent.message).length > 0, "the reply to be under way");
    device.engine.sendEph(sent.doc, { type: EphType.agentStop, message: sent.message, run: "another-run" });
    device.engine.sendEph(sent.doc, { type: EphType.agentStop, message: "another-message" });
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the committed reply");
  });

  it("a backend failure is recorded on the message as an error with its reason", async () => {
    const { device } = await setup();
    const { channel, session } = await channelWithSession(device);
    const sent = await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "please fail" });
    const status = async () => messageStatus((await device.engine.find<MessageDoc>(sent.doc)).doc().messages[sent.message]!);
    await until(async () => (await status()) === "error", "the error mark");
    expect(await repliesTo(device, sent.doc, sent.message)).toEqual([]);
  });
});
