import { str } from "./Imm.js";
import type { BlobHash } from "./ids.js";
import type { MessageRecord } from "./MessageRecord.js";

/** The blob hashes the messages' media refer to, each once. */
export function mediaHashesOf(messages: Iterable<MessageRecord>): Set<BlobHash> {
  const out = new Set<BlobHash>();
  for (const m of messages) for (const media of m.media ?? []) out.add(str(media.hash));
  return out;
}
