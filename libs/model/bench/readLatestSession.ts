import type { ChannelDoc } from "../src/docs/ChannelDoc.js";
import { ROOT_DOC_ID } from "../src/docs/deriveDocumentId.js";
import type { DocumentId } from "../src/docs/ids.js";
import type { PageDoc } from "../src/docs/PageDoc.js";
import type { RootDoc } from "../src/docs/RootDoc.js";
import { channelsOf, sessionsOf } from "../src/docs/workspaceViews.js";
import type { SyncEngine } from "../src/sync/SyncEngine.js";

/** What the app would show first: the latest session's last page. */
export interface LatestSession {
  page: DocumentId;
  /** Messages on that page. */
  messages: number;
}

/**
 * Walks the workspace the way the app opens it — the root, its last channel, that channel's
 * latest session, its last page — and counts the page's messages; `undefined` while one of those
 * documents is not on this device yet. Only documents the engine holds are opened, so this never
 * waits for the relay.
 */
export async function readLatestSession(engine: SyncEngine): Promise<LatestSession | undefined> {
  if (!engine.has(ROOT_DOC_ID)) return undefined;
  const root = (await engine.find<RootDoc>(ROOT_DOC_ID)).doc();
  const channel = channelsOf(root).at(-1);
  if (channel === undefined || !engine.has(channel.doc)) return undefined;
  const channelDoc = (await engine.find<ChannelDoc>(channel.doc)).doc();
  const session = sessionsOf(channelDoc).at(-1);
  if (session === undefined || !engine.has(session.lastPage)) return undefined;
  const page = (await engine.find<PageDoc>(session.lastPage)).doc();
  return { page: session.lastPage, messages: Object.keys(page.messages).length };
}
