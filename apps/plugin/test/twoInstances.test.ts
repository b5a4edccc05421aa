import { describe, expect, it } from "vitest";
import { messageStatus, sendMessage, sortedMessages, str, type MessageDoc, type SentMessage } from "@botschat/model";
import { relayForFile } from "./relayForFile.js";
import type { AgentPeer, PeerActivity } from "../src/AgentPeer.js";
import { channelWithSession, repliesTo, startAgent, startDevice, until } from "./workspace.js";

const fx = relayForFile();

describe("two instances of one gateway on one workspace", () => {
  it("never both answer a message: each gets exactly one reply, from one of them", async () => {
    const device = await startDevice(fx.relay.url);
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
});
