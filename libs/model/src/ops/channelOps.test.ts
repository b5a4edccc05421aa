import { describe, expect, it } from "vitest";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import type { AgentId, ChannelId, GatewayId, ModelId } from "../docs/ids.js";
import { toPlain } from "../docs/Imm.js";
import { updateSettings } from "./settingsOps.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { RootDoc } from "../docs/RootDoc.js";
import { channelsOf } from "../docs/workspaceViews.js";
import { archiveChannel, createChannel, deleteChannel, renameChannel } from "./channelOps.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { OpError } from "./OpError.js";
import { testWorkspace } from "./testWorkspace.js";

const binding = { gateway: "gw-home" as GatewayId, agentId: "main" as AgentId };

describe("channel operations", () => {
  it("create channels in sidebar order, bound to an agent of a gateway", async () => {
    const { store, me } = await testWorkspace();
    const second = await createChannel(store, me, { name: "  Research ", ...binding });
    const root = (await store.find<RootDoc>(ROOT_DOC_ID)).doc();
    const channels = channelsOf(root);
    expect(channels.map((c) => c.name)).toEqual(["General", "Research"]);
    expect(channels[1]).toMatchObject({ id: second.channel, doc: second.doc, gateway: "gw-home", agentId: "main", order: 1 });
    const doc = (await store.find<ChannelDoc>(second.doc)).doc();
    expect(doc.sessions).toEqual({});
    expect(doc.tasks).toEqual({});
  });

  it("rename and archive a channel; archived channels stay listed unless asked otherwise", async () => {
    const { store, me, channel } = await testWorkspace();
    await renameChannel(store, me, { channel, name: "Home" });
    await archiveChannel(store, me, { channel, archived: true });
    const root = (await store.find<RootDoc>(ROOT_DOC_ID)).doc();
    expect(channelsOf(root)[0]).toMatchObject({ name: "Home", archived: true });
    expect(channelsOf(root, { archived: false })).toEqual([]);
  });

  it("set and clear the workspace's default model", async () => {
    const { store, me } = await testWorkspace();
    await updateSettings(store, me, { defaultModel: "demo/fast" as ModelId });
    expect(toPlain((await store.find<RootDoc>(ROOT_DOC_ID)).doc().settings)).toEqual({ defaultModel: "demo/fast" });
    await updateSettings(store, me, { defaultModel: null });
    expect(toPlain((await store.find<RootDoc>(ROOT_DOC_ID)).doc().settings)).toEqual({});
  });

  it("refuse an empty name and an unknown channel", async () => {
    const { store, me, channel } = await testWorkspace();
    await expect(renameChannel(store, me, { channel, name: "  " })).rejects.toMatchObject({ code: "invalid" });
    await expect(renameChannel(store, me, { channel: "nope" as ChannelId, name: "x" })).rejects.toBeInstanceOf(OpError);
  });

  it("delete a channel: hidden from the sidebar, its pages, threads and channel document tombstoned", async () => {
    const { store, me, channel, channelDoc, session, page } = await testWorkspace();
    const { message } = await sendMessage(store, me, { channelDoc, session, text: "hi" });
    const thread = await replyInThread(store, me, { pageDoc: page, message, text: "in thread" });
    await deleteChannel(store, me, { channel });
    await deleteChannel(store, me, { channel }); // twice is fine
    expect(channelsOf((await store.find<RootDoc>(ROOT_DOC_ID)).doc())).toEqual([]);
    for (const id of [page, thread.doc, channelDoc]) expect(store.tombstoned.has(id)).toBe(true);
    await expect(store.find<PageDoc>(page)).rejects.toThrow();
    await expect(renameChannel(store, me, { channel, name: "x" })).rejects.toMatchObject({ code: "deleted" });
  });
});
