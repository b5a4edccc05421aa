import type { PageDoc } from "../docs/PageDoc.js";
import type { SessionEntry } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { str } from "../docs/Imm.js";
import type { BlobHash } from "../docs/ids.js";
import { mediaHashesOf } from "../docs/mediaHashesOf.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { pagesOf } from "../docs/workspaceViews.js";
import { tryFind } from "./findWork.js";

/**
 * Tombstones a session's page documents and the thread documents hanging off their messages.
 * Answers the blob hashes the messages of those documents referred to (as far as this device
 * held them), for `queueBlobDeletions`.
 */
export async function tombstoneSession(store: DocStore, session: SessionEntry): Promise<Set<BlobHash>> {
  const hashes = new Set<BlobHash>();
  for (const page of pagesOf(session)) {
    // Not here (never synced, or tombstoned already): nothing to read inside.
    const doc = await tryFind<PageDoc>(store, page);
    for (const message of Object.values(doc?.messages ?? {})) {
      mediaHashesOf([message]).forEach((h) => hashes.add(h));
      if (message.threadDoc === undefined) continue;
      const thread = str(message.threadDoc);
      mediaHashesOf(Object.values((await tryFind<ThreadDoc>(store, thread))?.messages ?? {})).forEach((h) => hashes.add(h));
      await store.tombstone(thread);
    }
    await store.tombstone(page);
  }
  return hashes;
}
