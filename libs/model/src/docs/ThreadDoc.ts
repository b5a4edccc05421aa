import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { ChannelId, DocumentId, MessageId, SessionId } from "./ids.js";
import type { MessageRecord } from "./MessageRecord.js";

/**
 * The thread of one message, with the derived id `threadDocId(parent.doc, parent.message)` and a
 * deterministic first change: two devices that start the same thread offline share one document.
 */
export interface ThreadDoc extends DocHeader<"thread"> {
  channel: Imm<ChannelId>;
  channelDoc: Imm<DocumentId>;
  session: Imm<SessionId>;
  /** The page document and message this thread hangs off. */
  parent: { doc: Imm<DocumentId>; message: Imm<MessageId> };
  messages: Record<MessageId, MessageRecord>;
}

/** A thread's deterministic first content: a function of its parent page and message only. */
export function threadInitial(input: {
  channel: ChannelId;
  channelDoc: DocumentId;
  session: SessionId;
  parentDoc: DocumentId;
  parentMessage: MessageId;
}): ThreadDoc {
  return {
    type: imm("thread"),
    schema: SCHEMA_VERSION.thread,
    channel: imm(input.channel),
    channelDoc: imm(input.channelDoc),
    session: imm(input.session),
    parent: { doc: imm(input.parentDoc), message: imm(input.parentMessage) },
    messages: {},
  };
}
