import type { DocHandle } from "@automerge/automerge-repo";
import { type ChannelDoc, channelInitial } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import { type AgentId, type BlobHash, type ChannelId, type DocumentId, type GatewayId, randomId, type TaskId } from "../docs/ids.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import { openDoc, openRoot } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { liveChannel } from "./liveChannel.js";
import { validName } from "./validName.js";
import { tombstoneSession } from "./tombstoneSession.js";
import { queueBlobDeletions } from "./blobDeletionOps.js";
import { retireTask } from "./taskOps.js";

/** A new channel: its id and document. */
export interface CreatedChannel {
  channel: ChannelId;
  doc: DocumentId;
}

/**
 * Creates a channel bound to an agent of a gateway, at the end of the sidebar.
 *
 * @example
 * const { channel, doc } = await createChannel(store, me, { name: "General", gateway, agentId: "main" as AgentId });
 */
export async function createChannel(
  store: DocStore,
  actor: DeviceActor,
  input: { name: string; gateway: GatewayId; agentId: AgentId },
): Promise<CreatedChannel> {
  const name = validName(input.name);
  const root = await openRoot(store);
  const channel = randomId<ChannelId>();
  const handle = store.create<ChannelDoc>(channelInitial(channel));
  const doc = handle.documentId;
  const now = nowOf(actor);
  root.change((r) => {
    const order = Math.max(0, ...Object.values(r.channels).map((c) => c.order + 1));
    r.channels[channel] = {
      id: imm(channel),
      name: imm(name),
      gateway: imm(input.gateway),
      agentId: imm(input.agentId),
      doc: imm(doc),
      order,
      createdAt: now,
    };
  });
  return { channel, doc };
}

/** Renames a channel. */
export async function renameChannel(store: DocStore, _actor: DeviceActor, input: { channel: ChannelId; name: string }): Promise<void> {
  const name = validName(input.name);
  const root = await openRoot(store);
  liveChannel(root, input.channel);
  root.change((r) => {
    r.channels[input.channel]!.name = imm(name);
  });
}

/** Archives a channel (hidden from the default sidebar, still answered) or brings it back. */
export async function archiveChannel(store: DocStore, _actor: DeviceActor, input: { channel: ChannelId; archived: boolean }): Promise<void> {
  const root = await openRoot(store);
  liveChannel(root, input.channel);
  root.change((r) => {
    r.channels[input.channel]!.archived = input.archived;
  });
}

/**
 * Deletes a channel: marks it deleted in the root, then tombstones its documents: every page and
 * thread of its sessions (queuing the blobs of their messages that no live message refers to for
 * deletion at the relay, `queueBlobDeletions`), its tasks and job logs, the channel document. A
 * task that a gateway has scheduled is only marked deleted, and tombstoned (with the channel
 * document, once the last one is) when the gateway records that it removed the job. Deleting
 * twice is fine.
 */
export async function deleteChannel(store: DocStore, actor: DeviceActor, input: { channel: ChannelId }): Promise<void> {
  const root = await openRoot(store);
  const entry = root.doc().channels[input.channel];
  if (entry === undefined) throw new OpError(OpErrorCode.notFound, `no channel ${input.channel}`);
  if (entry.deleted === undefined) {
    const at = nowOf(actor);
    root.change((r) => {
      r.channels[input.channel]!.deleted = at;
    });
  }
  const doc = str(entry.doc);
  let channel: DocHandle<ChannelDoc> | undefined;
  try {
    channel = await openDoc<ChannelDoc>(store, doc, "channel");
  } catch {
    channel = undefined; // already gone: nothing inside to tombstone
  }
  if (channel === undefined) return;
  const now = nowOf(actor);
  const hashes = new Set<BlobHash>();
  for (const session of Object.values(channel.doc().sessions)) (await tombstoneSession(store, session)).forEach((h) => hashes.add(h));
  // Applied tasks wait for their gateway to remove the scheduled job; the last one tombstones
  // the channel document (`recordTaskApplied`).
  for (const task of Object.keys(channel.doc().tasks) as TaskId[]) await retireTask(store, channel, task, now, false);
  if (Object.values(channel.doc().tasks).every((t) => t.purged !== undefined)) await store.tombstone(doc);
  await queueBlobDeletions(store, hashes, now);
}
