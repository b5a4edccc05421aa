import { DocType } from "../docs/DocType.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import { type DocumentId, type MessageId, type ModelId, randomId } from "../docs/ids.js";
import { type MessageRecord, Role } from "../docs/MessageRecord.js";
import { currentVersion } from "../docs/messageVersions.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import type { MessageDoc } from "./messageOps.js";
import { newUserMessage } from "./newMessage.js";
import { openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { checkTextSize } from "./textLimit.js";

/** A version written by {@link regenerateReply} or {@link editMessage}. */
export interface WrittenVersion {
  /** The page or thread document of the message (versions stay beside it). */
  doc: DocumentId;
  /** The new version's record, which an agent claims and answers like any message. */
  message: MessageId;
}

/**
 * Asks for another answer to a person's message, optionally from another model: a new record
 * beside it (`versionOf` the message, `regenerates` the version answered), with a random id, so
 * requests made on two devices at once are both answered. `message` is the agent's reply to
 * answer again, or the person's message (or version) itself. The earlier answers stay.
 *
 * @example
 * await regenerateReply(store, me, { doc, message: reply, model: "demo/fast" as ModelId });
 */
export async function regenerateReply(
  store: DocStore,
  actor: DeviceActor,
  input: { doc: DocumentId; message: MessageId; model?: ModelId },
): Promise<WrittenVersion> {
  const handle = await openDoc<MessageDoc>(store, input.doc, [DocType.page, DocType.thread]);
  const messages = handle.doc().messages;
  const target = messages[input.message];
  if (target === undefined) throw new OpError(OpErrorCode.notFound, `no message ${input.message}`);
  const asked = str(target.role) === Role.agent && target.replyTo !== undefined ? messages[str(target.replyTo)] : target;
  if (asked === undefined || str(asked.role) !== Role.user) throw new OpError(OpErrorCode.invalid, "only an answer to a person's message can be regenerated");
  const version = randomId<MessageId>();
  const now = Math.max(nowOf(actor), asked.createdAt + 1);
  handle.change((d) => {
    const record = versionRecord(asked, { id: version, text: str(asked.text), createdAt: now, actor, model: input.model });
    record.regenerates = imm(str(asked.id));
    if (asked.answers !== undefined)
      record.answers = { message: imm(str(asked.answers.message)), block: imm(str(asked.answers.block)), value: imm(str(asked.answers.value)) };
    d.messages[version] = record;
  });
  return { doc: input.doc, message: version };
}

/**
 * Edits a person's message: a new version with the new text, which the agent answers; the
 * earlier text and its answer stay as the previous version. Refused for the answer to an action
 * block (the agent wrote its label) and for text equal to the current version's.
 */
export async function editMessage(store: DocStore, actor: DeviceActor, input: { doc: DocumentId; message: MessageId; text: string }): Promise<WrittenVersion> {
  const handle = await openDoc<MessageDoc>(store, input.doc, [DocType.page, DocType.thread]);
  const messages = handle.doc().messages;
  const target = messages[input.message];
  if (target === undefined) throw new OpError(OpErrorCode.notFound, `no message ${input.message}`);
  if (str(target.role) !== Role.user) throw new OpError(OpErrorCode.invalid, "only a person's message can be edited");
  if (target.answers !== undefined) throw new OpError(OpErrorCode.invalid, "the answer to an action cannot be edited");
  if (input.text.trim().length === 0) throw new OpError(OpErrorCode.invalid, "a message needs text");
  checkTextSize(input.text, "This message");
  const current = currentVersion(messages, input.message)!;
  if (str(current.text) === input.text) throw new OpError(OpErrorCode.invalid, "the message is unchanged");
  const version = randomId<MessageId>();
  const now = Math.max(nowOf(actor), current.createdAt + 1);
  handle.change((d) => {
    d.messages[version] = versionRecord(current, { id: version, text: input.text, createdAt: now, actor, model: undefined });
  });
  return { doc: input.doc, message: version };
}

/** A version's record: a person's message (with `runs`, for racing claims) that names the first one. */
function versionRecord(
  of: MessageRecord,
  v: { id: MessageId; text: string; createdAt: number; actor: DeviceActor; model: ModelId | undefined },
): MessageRecord {
  const record = newUserMessage({
    id: v.id,
    text: v.text,
    createdAt: v.createdAt,
    author: v.actor.device,
    // Threads hang off the first message, never off a version: no thread counter.
    inPage: false,
    ...(of.media === undefined
      ? {}
      : { media: of.media.map((m) => ({ hash: str(m.hash), key: str(m.key), mime: str(m.mime), name: str(m.name), size: m.size })) }),
    ...(v.model === undefined ? {} : { model: v.model }),
  });
  record.versionOf = imm(str(of.versionOf) ?? str(of.id));
  return record;
}
