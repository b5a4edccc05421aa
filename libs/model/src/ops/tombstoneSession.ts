import type { PageDoc } from "../docs/PageDoc.js";
import type { SessionEntry } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { str } from "../docs/Imm.js";
import { pagesOf } from "../docs/workspaceViews.js";

/** Tombstones a session's page documents and the thread documents hanging off their messages. */
export async function tombstoneSession(store: DocStore, session: SessionEntry): Promise<void> {
  for (const page of pagesOf(session)) {
    try {
      const doc = (await store.find<PageDoc>(page)).doc();
      for (const message of Object.values(doc.messages)) {
        if (message.threadDoc !== undefined) await store.tombstone(str(message.threadDoc));
      }
    } catch {
      // The page is not here (never synced, or tombstoned already): nothing to read inside.
    }
    await store.tombstone(page);
  }
}
