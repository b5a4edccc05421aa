import { type DocHeader, DocType, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { ChannelId, DocumentId, MessageId, SessionId } from "./ids.js";
import type { MessageRecord } from "./MessageRecord.js";

/** Messages per page: the next message starts a new page document. Keeps documents small. */
export const PAGE_SIZE = 500;

/**
 * A page of a session: up to {@link PAGE_SIZE} messages. Page 0 has a random id; page n ≥ 1 has
 * the derived id `pageDocId(session, n)` and a deterministic first change, since two devices may
 * start it at once.
 */
export interface PageDoc extends DocHeader<typeof DocType.page> {
  channel: Imm<ChannelId>;
  channelDoc: Imm<DocumentId>;
  session: Imm<SessionId>;
  page: number;
  prev?: Imm<DocumentId>;
  next?: Imm<DocumentId>;
  messages: Record<MessageId, MessageRecord>;
}

/** A page's first content. For page n ≥ 1 every field is a function of the session, so it is deterministic. */
export function pageInitial(input: { channel: ChannelId; channelDoc: DocumentId; session: SessionId; page: number; prev?: DocumentId }): PageDoc {
  const doc: PageDoc = {
    type: imm(DocType.page),
    schema: SCHEMA_VERSION.session,
    channel: imm(input.channel),
    channelDoc: imm(input.channelDoc),
    session: imm(input.session),
    page: input.page,
    messages: {},
  };
  if (input.prev !== undefined) doc.prev = imm(input.prev);
  return doc;
}
