import type { DocHandle } from "@automerge/automerge-repo";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { str } from "../docs/Imm.js";
import type { TaskId } from "../docs/ids.js";

/**
 * Tombstones a task's document and its job logs and marks the channel's entry purged. When that
 * was the last task of a deleted channel still waiting for its gateway, the channel document goes
 * too (`channelDeleted`).
 */
export async function tombstoneTask(store: DocStore, channel: DocHandle<ChannelDoc>, task: TaskId, now: number, channelDeleted: boolean): Promise<void> {
  const entry = channel.doc().tasks[task];
  if (entry === undefined) return;
  for (const log of Object.values(entry.jobLogs)) await store.tombstone(str(log));
  await store.tombstone(str(entry.doc));
  if (entry.purged === undefined) {
    channel.change((c) => {
      c.tasks[task]!.purged = now;
    });
  }
  if (channelDeleted && Object.values(channel.doc().tasks).every((t) => t.purged !== undefined)) {
    await store.tombstone(channel.documentId);
  }
}
