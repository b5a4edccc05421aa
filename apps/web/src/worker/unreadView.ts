import { type ChannelDoc, channelsOf, type DocumentId, type PageDoc, ROOT_DOC_ID, type RootDoc, str, taskSessionId, unreadOf } from "@botschat/model";
import type { SessionUnreadView, UnreadView } from "../shared/views.js";
import type { DocReader } from "./ViewWatch.js";

/**
 * What is unread across the workspace: every session with a tab (not closed, not a task's runs)
 * of every channel not archived. Reads the root, each channel document and, per session, its last
 * page (the pages before it only when the session was read less far than that page goes back).
 * A session whose pages are still loading is left out until they are here.
 */
export function unreadView(read: DocReader): UnreadView | undefined {
  const root = read.doc<RootDoc>(ROOT_DOC_ID);
  if (root === undefined) return read.loading ? undefined : { sessions: [] };
  const sessions: SessionUnreadView[] = [];
  for (const channel of channelsOf(root, { archived: false })) {
    const doc = read.doc<ChannelDoc>(channel.doc);
    if (doc === undefined) continue;
    // A task's runs have their own session, shown from its jobs, not as a tab.
    const taskSessions = new Set<string>(Object.values(doc.tasks).map((t) => taskSessionId(str(t.id))));
    for (const entry of Object.values(doc.sessions)) {
      const session = str(entry.id);
      if (entry.deleted !== undefined || entry.archived === true || taskSessions.has(session)) continue;
      const unread = unreadOf(entry, (page: DocumentId) => read.doc<PageDoc>(page));
      if (unread === undefined) continue;
      const view: SessionUnreadView = { channel: channel.id, channelDoc: channel.doc, session, count: unread.count };
      if (unread.first !== undefined) view.first = unread.first;
      if (unread.latest !== undefined) view.latest = unread.latest;
      sessions.push(view);
    }
  }
  return { sessions };
}
