import { isCounter } from "@automerge/automerge";
import { type Plain, str, toPlain } from "./Imm.js";
import type { DocumentId, GatewayId, MessageId, RunId } from "./ids.js";
import { type MessageRecord, MessageStatus, Role, type RunRecord } from "./MessageRecord.js";
import { foldVersions, type MessageVersion } from "./messageVersions.js";

/** How long a run's claim holds without news from it; after that another run may take over. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** The claim that counts on a message: who answers it. */
export interface ClaimView {
  runId: RunId;
  by: GatewayId;
  at: number;
}

/** A message as a UI shows it: plain strings, its status derived, its thread summarised. */
export interface MessageView extends Omit<Plain<MessageRecord>, "runs" | "replies" | "replyKeys" | "lastReplyAt" | "threadDoc" | "attempt"> {
  status: MessageStatus;
  /** Why the current attempt failed or stopped. */
  error?: string;
  /** The winning run of the current attempt, on a person's message. */
  claim?: ClaimView;
  attempt: number;
  thread?: { doc: DocumentId; replies: number; lastReplyAt?: number };
  /**
   * On a person's message that was edited or answered again: every version, this message first
   * (`foldVersions`); the list shows the message once, browsable through them.
   */
  versions?: MessageVersion[];
}

/** The runs of `attempt` (default: the message's current attempt) that still compete. */
function liveRuns(message: MessageRecord, attempt = message.attempt ?? 0): RunRecord[] {
  return Object.values(message.runs ?? {}).filter((r) => r.attempt === attempt && r.supersededBy === undefined);
}

/**
 * The run that answers a person's message: among the non-superseded runs of the current attempt,
 * the one with the lowest `(at, runId)`. Every device that has the same runs picks the same one,
 * so two agents that claimed the same message while apart agree once their changes merge.
 */
export function winningRun(message: MessageRecord, attempt?: number): RunRecord | undefined {
  let best: RunRecord | undefined;
  for (const run of liveRuns(message, attempt)) {
    if (best === undefined || run.at < best.at || (run.at === best.at && str(run.runId) < str(best.runId))) best = run;
  }
  return best;
}

/** A message's status ({@link MessageStatus}): from its winning run on a person's message. */
export function messageStatus(message: MessageRecord): MessageStatus {
  if (str(message.role) !== Role.user) return MessageStatus.answered;
  const run = winningRun(message);
  return run === undefined ? MessageStatus.pending : str(run.status);
}

/**
 * Whether an agent reply lost: it was written by a run that is not the winning run of the
 * attempt it answered (two agents both answered while apart; after merging only one reply shows).
 */
export function isLosingReply(message: MessageRecord, messages: Record<MessageId, MessageRecord>): boolean {
  if (str(message.role) !== Role.agent || message.run === undefined || message.replyTo === undefined) return false;
  const asked = messages[str(message.replyTo)];
  const run = asked?.runs?.[str(message.run)];
  if (asked === undefined || run === undefined) return false;
  return str(winningRun(asked, run.attempt)?.runId) !== str(message.run);
}

/** A stored message as a UI reads it. */
export function messageView(message: MessageRecord): MessageView {
  const { runs: _runs, replies, replyKeys, lastReplyAt, threadDoc, attempt, ...rest } = message;
  const view: MessageView = { ...toPlain(rest), status: messageStatus(message), attempt: attempt ?? 0 };
  const run = str(message.role) === Role.user ? winningRun(message) : undefined;
  if (run !== undefined) {
    view.claim = { runId: str(run.runId), by: str(run.by), at: run.at };
    if (run.error !== undefined) view.error = str(run.error);
  }
  const count = replyKeys !== undefined ? Object.keys(replyKeys).length : isCounter(replies) ? replies.value : 0;
  if (threadDoc !== undefined) {
    view.thread = { doc: str(threadDoc), replies: count };
    if (lastReplyAt !== undefined) view.thread.lastReplyAt = lastReplyAt;
  }
  return view;
}

/**
 * The messages of a page or thread document in reading order (by `createdAt`, then id), as
 * views, without the replies of runs that lost a claim race, and with the versions of a
 * person's message folded into it (`foldVersions`).
 */
export function sortedMessages(doc: { messages: Record<MessageId, MessageRecord> }): MessageView[] {
  return foldVersions(
    Object.values(doc.messages)
      .filter((m) => !isLosingReply(m, doc.messages))
      .sort(byCreatedThenId)
      .map(messageView),
  );
}

/** The messages of several pages of one session, in reading order (versions folded, as {@link sortedMessages}). */
export function sessionMessages(pages: readonly { messages: Record<MessageId, MessageRecord> }[]): MessageView[] {
  return foldVersions(
    pages
      .flatMap((page) => Object.values(page.messages).filter((m) => !isLosingReply(m, page.messages)))
      .sort(byCreatedThenId)
      .map(messageView),
  );
}

function byCreatedThenId(a: MessageRecord, b: MessageRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  const x = str(a.id);
  const y = str(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}
