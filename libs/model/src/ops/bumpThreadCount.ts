import { Counter } from "@automerge/automerge";
import type { DocHandle } from "@automerge/automerge-repo";
import { imm } from "../docs/Imm.js";
import type { DocumentId, MessageId } from "../docs/ids.js";
import type { PageDoc } from "../docs/PageDoc.js";

/**
 * Counts one more reply on a page message's thread: sets the thread document id, adds the reply's
 * `key` to `replyKeys` (the same key twice counts once: see `MessageRecord.replyKeys`),
 * increments the counter (created with the message, so concurrent replies add up; read by
 * records without `replyKeys`) and moves the last-reply time.
 */
export function bumpThreadCount(page: DocHandle<PageDoc>, message: MessageId, thread: DocumentId, at: number, key: string): void {
  page.change((p) => {
    const m = p.messages[message];
    if (m === undefined) return;
    if (m.threadDoc === undefined) m.threadDoc = imm(thread);
    // Never created here: a map made on two devices at once would keep only one device's keys.
    if (m.replyKeys !== undefined) m.replyKeys[key] = true;
    // Messages written before the counter existed get one now (a race here may undercount).
    if (m.replies === undefined) m.replies = new Counter(1);
    else m.replies.increment(1);
    if (m.lastReplyAt === undefined || m.lastReplyAt < at) m.lastReplyAt = at;
  });
}
