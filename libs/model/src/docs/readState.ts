import { type Doc, getConflicts } from "@automerge/automerge";
import type { SessionEntry } from "./ChannelDoc.js";
import { str } from "./Imm.js";
import type { DocumentId, MessageId } from "./ids.js";
import { isLosingReply } from "./messageView.js";
import { type MessageRecord, Role } from "./MessageRecord.js";

/**
 * Read state: how far the person has read each session, kept on the session's entry in its
 * channel document (`SessionEntry.readUpTo`), so every device of the person sees it.
 *
 * Positions are message times (`createdAt`, the writer's clock), never a device's "now": a
 * reply counts as unread when its position is after the read position. An agent's reply is
 * placed just after the message it answers when its own clock says earlier, so a gateway whose
 * clock lags cannot slip a reply in as already read.
 */

/** Where a message stands for reading: its time, and never at or before the message it answers. */
export function readPositionOf(message: MessageRecord, messages: Record<MessageId, MessageRecord>): number {
  const asked = str(message.role) === Role.agent && message.replyTo !== undefined ? messages[str(message.replyTo)] : undefined;
  return asked === undefined ? message.createdAt : Math.max(message.createdAt, asked.createdAt + 1);
}

/**
 * How far a session has been read: the largest of the values devices wrote at once (Automerge
 * keeps each concurrent value as a conflict; plain reading would pick one by actor, not the
 * largest), so reads on two devices merge as a max register.
 */
export function readUpToOf(entry: SessionEntry): number | undefined {
  let best = typeof entry.readUpTo === "number" ? entry.readUpTo : undefined;
  let conflicts: Record<string, unknown> | undefined;
  try {
    conflicts = getConflicts(entry as Doc<SessionEntry>, "readUpTo") as Record<string, unknown> | undefined;
  } catch {
    conflicts = undefined; // a plain object (not read from a document): its one value is all there is
  }
  for (const v of Object.values(conflicts ?? {})) if (typeof v === "number" && (best === undefined || v > best)) best = v;
  return best;
}

/** A page or thread document's messages. */
export interface MessagePage {
  messages: Record<MessageId, MessageRecord>;
}

/** The newest read position among the messages of a page (−∞ for an empty page). */
export function newestPositionOf(page: MessagePage): number {
  let newest = -Infinity;
  for (const m of Object.values(page.messages)) newest = Math.max(newest, readPositionOf(m, page.messages));
  return newest;
}

/** What is unread in one session. */
export interface SessionUnread {
  /** Agent messages after the read position. */
  count: number;
  /** The first of them in reading order (where the "new messages" divider goes). */
  first?: MessageId;
  /** The newest of them. */
  latest?: { id: MessageId; text: string; createdAt: number };
  /** The position everything in the session is read up to once it is read (its newest message). */
  newest: number;
}

/**
 * What is unread in a session: its agent messages (replies and job results, never the person's
 * own messages nor system notes) after how far it was read. Whatever the person wrote was written
 * having read what came before it, so their newest message counts as read up to it too; a session
 * read by no device yet (one from before read state existed) is read up to that message.
 *
 * Reads pages newest first and stops at the first page that ends before the read position, so a
 * long session reads its last page only. Answers undefined while a page it needs is not here
 * (`pageOf` answered undefined).
 */
export function unreadOf(entry: SessionEntry, pageOf: (doc: DocumentId) => MessagePage | undefined): SessionUnread | undefined {
  const pages = Object.entries(entry.pages)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, id]) => str(id));
  const readUpTo = readUpToOf(entry) ?? -Infinity;
  const candidates: { id: MessageId; at: number; createdAt: number; text: string }[] = [];
  let ownNewest = -Infinity;
  let newest = -Infinity;
  for (let i = pages.length - 1; i >= 0; i--) {
    const page = pageOf(pages[i]!);
    if (page === undefined) return undefined;
    let oldest = Infinity;
    for (const m of Object.values(page.messages)) {
      const at = readPositionOf(m, page.messages);
      oldest = Math.min(oldest, at);
      newest = Math.max(newest, at);
      const role = str(m.role);
      if (role === Role.user) ownNewest = Math.max(ownNewest, at);
      else if (role === Role.agent && at > readUpTo && !isLosingReply(m, page.messages)) {
        candidates.push({ id: str(m.id), at, createdAt: m.createdAt, text: str(m.text) });
      }
    }
    // Everything before this page is older than what was read: no need to open it.
    if (oldest <= readUpTo || ownNewest > -Infinity) break;
  }
  const read = Math.max(readUpTo, ownNewest);
  const unread = candidates.filter((c) => c.at > read).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: SessionUnread = { count: unread.length, newest };
  const first = unread[0];
  const last = unread.at(-1);
  if (first !== undefined) out.first = first.id;
  if (last !== undefined) out.latest = { id: last.id, text: last.text, createdAt: last.createdAt };
  return out;
}
