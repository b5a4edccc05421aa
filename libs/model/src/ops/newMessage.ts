import { Counter } from "@automerge/automerge";
import { imm } from "../docs/Imm.js";
import type { BlobHash, DeviceId, MessageId, ModelId } from "../docs/ids.js";
import type { ActionAnswer, MediaRef, MessageRecord } from "../docs/MessageRecord.js";

/** A blob attached to a message, as the uploader knows it. */
export interface MediaInput {
  hash: BlobHash;
  /** The blob key, base64url. */
  key: string;
  mime: string;
  name: string;
  size: number;
}

/** Stored media refs. */
export function mediaRefs(media: readonly MediaInput[]): MediaRef[] {
  return media.map((m) => ({ hash: imm(m.hash), key: imm(m.key), mime: imm(m.mime), name: imm(m.name), size: m.size }));
}

/**
 * A person's message record with every nested object it may later need: `runs` (claims from
 * agents that may race) and, on a page, the `replies` counter of its thread.
 */
export function newUserMessage(input: {
  id: MessageId;
  text: string;
  createdAt: number;
  author: DeviceId;
  inPage: boolean;
  media?: readonly MediaInput[];
  model?: ModelId;
  replyTo?: MessageId;
  answers?: ActionAnswer;
}): MessageRecord {
  const m: MessageRecord = {
    id: imm(input.id),
    role: imm("user"),
    text: imm(input.text),
    createdAt: input.createdAt,
    author: imm(input.author),
    attempt: 0,
    runs: {},
  };
  if (input.inPage) {
    m.replies = new Counter(0);
    m.replyKeys = {};
  }
  if (input.media !== undefined && input.media.length > 0) m.media = mediaRefs(input.media);
  if (input.model !== undefined) m.model = imm(input.model);
  if (input.replyTo !== undefined) m.replyTo = imm(input.replyTo);
  if (input.answers !== undefined) m.answers = input.answers;
  return m;
}
