import { DocType } from "../docs/DocType.js";
import { Counter } from "@automerge/automerge";
import type { DocHandle } from "@automerge/automerge-repo";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { pageDocId, threadDocId } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import { answerOf } from "../docs/actionAnswer.js";
import { imm, str, toPlain } from "../docs/Imm.js";
import { derivedId, type DocumentId, type MessageId, type ModelId, randomId, type SessionId } from "../docs/ids.js";
import { messageStatus } from "../docs/messageView.js";
import { MessageStatus, type MessageRecord, Role } from "../docs/MessageRecord.js";
import { PAGE_SIZE, type PageDoc, pageInitial } from "../docs/PageDoc.js";
import { type ThreadDoc, threadInitial } from "../docs/ThreadDoc.js";
import { validActionBlock } from "../docs/validActionBlock.js";
import { pagesOf } from "../docs/workspaceViews.js";
import { type DeviceActor, type GatewayActor, nowOf } from "./Actor.js";
import { type MediaInput, mediaRefs, newUserMessage } from "./newMessage.js";
import { ensureDoc, openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { liveSession } from "./sessionOps.js";
import { bumpThreadCount } from "./bumpThreadCount.js";
import { checkTextSize, fitText } from "./textLimit.js";

/** Where a message was written. */
export interface SentMessage {
  /** The page or thread document that holds it. */
  doc: DocumentId;
  message: MessageId;
}

/** A page or thread document: both hold messages. */
export type MessageDoc = PageDoc | ThreadDoc;

/**
 * Sends a person's message to a session: on its last page, or on a new page (a derived document)
 * when the last one holds `pageSize` messages.
 *
 * @example
 * const { doc, message } = await sendMessage(store, me, { channelDoc, session, text: "Hello" });
 */
export async function sendMessage(
  store: DocStore,
  actor: DeviceActor,
  input: {
    channelDoc: DocumentId;
    session: SessionId;
    text: string;
    media?: readonly MediaInput[];
    replyTo?: MessageId;
    model?: ModelId;
  },
  options: { pageSize?: number } = {},
): Promise<SentMessage> {
  validText(input.text, input.media);
  const channel = await liveSession(store, input.channelDoc, input.session);
  const page = await lastPage(store, channel, input.session, options.pageSize ?? PAGE_SIZE);
  const message = randomId<MessageId>();
  const now = nowOf(actor);
  page.change((p) => {
    p.messages[message] = newUserMessage({ ...input, id: message, createdAt: now, author: actor.device, inPage: true });
  });
  return { doc: page.documentId, message };
}

/**
 * Replies in the thread of a message of a page: ensures the thread document (derived id,
 * deterministic first change, so two devices starting it offline share it), adds the reply, and
 * bumps the parent's reply count and last-reply time.
 */
export async function replyInThread(
  store: DocStore,
  actor: DeviceActor,
  input: { pageDoc: DocumentId; message: MessageId; text: string; media?: readonly MediaInput[]; model?: ModelId },
): Promise<SentMessage> {
  validText(input.text, input.media);
  const page = await openDoc<PageDoc>(store, input.pageDoc, DocType.page);
  const p = page.doc();
  if (p.messages[input.message] === undefined) throw new OpError(OpErrorCode.notFound, `no message ${input.message}`);
  const threadId = threadDocId(input.pageDoc, input.message);
  const thread = await ensureDoc<ThreadDoc>(store, threadId, "thread", () =>
    threadInitial({
      channel: str(p.channel),
      channelDoc: str(p.channelDoc),
      session: str(p.session),
      parentDoc: input.pageDoc,
      parentMessage: input.message,
    }),
  );
  const reply = randomId<MessageId>();
  const now = nowOf(actor);
  thread.change((t) => {
    t.messages[reply] = newUserMessage({
      id: reply,
      text: input.text,
      createdAt: now,
      author: actor.device,
      inPage: false,
      ...(input.media === undefined ? {} : { media: input.media }),
      ...(input.model === undefined ? {} : { model: input.model }),
    });
  });
  bumpThreadCount(page, input.message, threadId, now, reply);
  return { doc: threadId, message: reply };
}

/** The outcome of {@link chooseAction}. */
export interface ChooseResult {
  /** The user message carrying the choice to the agent. */
  answer: MessageId;
  /** False when a choice had been made already (this call changed nothing). */
  chosen: boolean;
}

/**
 * Chooses on an action block of an agent message: records the choice on the message and writes
 * a user message answering it, which the agent claims like any other. The answer's id is derived
 * from the message and block, so choosing again (here or on another device) never asks twice.
 * The value is checked against the block (`answerOf`): an option it offers, a form's fields
 * filled as they require; several cards or a form's fields go as one JSON value.
 */
export async function chooseAction(
  store: DocStore,
  actor: DeviceActor,
  input: { doc: DocumentId; message: MessageId; block: string; value: string; label?: string },
): Promise<ChooseResult> {
  const handle = await openDoc<MessageDoc>(store, input.doc, [DocType.page, DocType.thread]);
  const d = handle.doc();
  const target = d.messages[input.message];
  if (target === undefined) throw new OpError(OpErrorCode.notFound, `no message ${input.message}`);
  if (target.chosen !== undefined) return { answer: str(target.chosen.answer), chosen: false };
  const stored = target.actions?.find((b) => str(b.id) === input.block);
  if (stored === undefined) throw new OpError(OpErrorCode.notFound, `no action block ${input.block}`);
  const block = validActionBlock(toPlain(stored));
  if (block === undefined) throw new OpError(OpErrorCode.invalid, `action block ${input.block} is not one that can be answered`);
  const checked = answerOf(block, input.value, input.label);
  if (!checked.ok) throw new OpError(OpErrorCode.invalid, checked.reason);
  const { value, label } = checked;
  const answer = derivedId<MessageId>("answer", input.message, input.block);
  const now = nowOf(actor);
  const inPage = str(d.type) === DocType.page;
  handle.change((doc) => {
    const m = doc.messages[input.message]!;
    m.chosen = { block: imm(input.block), value: imm(value), label: imm(label), by: imm(actor.device), at: now, answer: imm(answer) };
    doc.messages[answer] = newUserMessage({
      id: answer,
      text: label,
      createdAt: now,
      author: actor.device,
      inPage,
      replyTo: input.message,
      answers: { message: imm(input.message), block: imm(input.block), value: imm(value) },
    });
  });
  return { answer, chosen: true };
}

/**
 * Retries a person's message whose answer failed or was interrupted: a new attempt, which agents
 * claim afresh. Two devices retrying at once make one new attempt. Returns false if the message
 * is not in `error` or `interrupted`.
 */
export async function retryMessage(store: DocStore, _actor: DeviceActor, input: { doc: DocumentId; message: MessageId }): Promise<boolean> {
  const handle = await openDoc<MessageDoc>(store, input.doc, [DocType.page, DocType.thread]);
  const m = handle.doc().messages[input.message];
  if (m === undefined) throw new OpError(OpErrorCode.notFound, `no message ${input.message}`);
  const status = messageStatus(m);
  if (status !== MessageStatus.error && status !== MessageStatus.interrupted) return false;
  const next = (m.attempt ?? 0) + 1;
  handle.change((d) => {
    // A number, not a counter: concurrent retries of the same failure agree on the same attempt.
    d.messages[input.message]!.attempt = next;
  });
  return true;
}

/**
 * Posts a message that answers no one's message — an agent's (the output of a job in its
 * conversation) or a system notice — to a session's last page. Idempotent by `id`, which the
 * gateway derives from what the message is about (`derivedId("job-output", jobId)`): posting
 * again after a restart finds it and writes nothing. Returns where it is.
 */
export async function postMessage(
  store: DocStore,
  actor: GatewayActor,
  input: {
    channelDoc: DocumentId;
    session: SessionId;
    id: MessageId;
    text: string;
    role?: "agent" | "system";
    model?: ModelId;
    media?: readonly MediaInput[];
  },
  options: { pageSize?: number } = {},
): Promise<SentMessage & { written: boolean }> {
  const channel = await liveSession(store, input.channelDoc, input.session);
  for (const pageId of pagesOf(channel.doc().sessions[input.session]!)) {
    const existing = await store.find<PageDoc>(pageId).catch(() => undefined);
    if (existing?.doc().messages[input.id] !== undefined) return { doc: pageId, message: input.id, written: false };
  }
  const page = await lastPage(store, channel, input.session, options.pageSize ?? PAGE_SIZE);
  const now = nowOf(actor);
  page.change((p) => {
    const m: MessageRecord = {
      id: imm(input.id),
      role: imm(input.role ?? Role.agent),
      text: imm(fitText(input.text)),
      createdAt: now,
      gateway: imm(actor.gateway),
      replies: new Counter(0),
      replyKeys: {},
    };
    if (input.model !== undefined) m.model = imm(input.model);
    if (input.media !== undefined && input.media.length > 0) m.media = mediaRefs(input.media);
    p.messages[input.id] = m;
  });
  return { doc: page.documentId, message: input.id, written: true };
}

/** The session's last page, or a new one after it when it is full. */
async function lastPage(store: DocStore, channel: DocHandle<ChannelDoc>, session: SessionId, pageSize: number): Promise<DocHandle<PageDoc>> {
  const entry = channel.doc().sessions[session]!;
  const n = Math.max(...Object.keys(entry.pages).map(Number));
  const lastId = str(entry.pages[String(n)]!);
  const last = await openDoc<PageDoc>(store, lastId, DocType.page);
  if (Object.keys(last.doc().messages).length < pageSize) return last;
  const nextId = pageDocId(session, n + 1);
  const l = last.doc();
  const next = await ensureDoc<PageDoc>(store, nextId, DocType.page, () =>
    pageInitial({ channel: str(l.channel), channelDoc: str(l.channelDoc), session, page: n + 1, prev: lastId }),
  );
  if (entry.pages[String(n + 1)] === undefined) {
    channel.change((c) => {
      c.sessions[session]!.pages[String(n + 1)] = imm(nextId);
    });
  }
  if (l.next === undefined) {
    last.change((p) => {
      p.next = imm(nextId);
    });
  }
  return next;
}

function validText(text: string, media: readonly MediaInput[] | undefined): void {
  if (text.trim().length === 0 && (media === undefined || media.length === 0)) {
    throw new OpError(OpErrorCode.invalid, "a message needs text or an attachment");
  }
  checkTextSize(text, "This message");
}
