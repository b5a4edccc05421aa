import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import { str } from "../docs/Imm.js";
import type { BlobHash } from "../docs/ids.js";
import { mediaHashesOf } from "../docs/mediaHashesOf.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { RootDoc } from "../docs/RootDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { pagesOf } from "../docs/workspaceViews.js";
import { tryFind } from "./findWork.js";

/**
 * Every blob hash a live message refers to: on every page and in every thread of the sessions
 * not deleted, of the channels not deleted, as far as this device holds them (every device keeps
 * the whole workspace). Reads every such document.
 */
export async function liveBlobHashes(store: DocStore): Promise<Set<BlobHash>> {
  const out = new Set<BlobHash>();
  const add = (hashes: Set<BlobHash>): void => hashes.forEach((h) => out.add(h));
  const root = await tryFind<RootDoc>(store, ROOT_DOC_ID);
  for (const entry of Object.values(root?.channels ?? {})) {
    if (entry.deleted !== undefined) continue;
    const channel = await tryFind<ChannelDoc>(store, str(entry.doc));
    for (const session of Object.values(channel?.sessions ?? {})) {
      if (session.deleted !== undefined) continue;
      for (const pageId of pagesOf(session)) {
        const page = await tryFind<PageDoc>(store, pageId);
        for (const m of Object.values(page?.messages ?? {})) {
          add(mediaHashesOf([m]));
          if (m.threadDoc === undefined) continue;
          const thread = await tryFind<ThreadDoc>(store, str(m.threadDoc));
          add(mediaHashesOf(Object.values(thread?.messages ?? {})));
        }
      }
    }
  }
  return out;
}
