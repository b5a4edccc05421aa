import { str } from "./Imm.js";
import type { MessageId } from "./ids.js";
import type { MessageRecord } from "./MessageRecord.js";
import type { MessageView } from "./messageView.js";

/** How a version of a person's message came about. */
export const VersionKind = { original: "original", edit: "edit", regenerate: "regenerate" } as const;
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];

/** One version of a person's message and of its answer. */
export interface MessageVersion {
  kind: VersionKind;
  /** The person's record of this version (the message, an edit, a request for another answer): its text and status. */
  ask: MessageView;
  /** The agent's answer to it, once recorded. */
  reply?: MessageView;
}

/** The kind of a person's record: the message itself, an edit of it, or a request for another answer. */
export function versionKindOf(m: Pick<MessageRecord, "versionOf" | "regenerates"> | Pick<MessageView, "versionOf" | "regenerates">): VersionKind {
  if (m.versionOf === undefined) return VersionKind.original;
  return m.regenerates === undefined ? VersionKind.edit : VersionKind.regenerate;
}

/**
 * The records of a person's message in version order: the message first, then its edits and
 * requests for another answer by `createdAt`, then id (every device orders them alike). `id` may
 * name the message or any of its versions.
 */
export function versionRecords(messages: Record<MessageId, MessageRecord>, id: MessageId): MessageRecord[] {
  const first = messages[id];
  if (first === undefined) return [];
  const rootId = str(first.versionOf) ?? id;
  const root = messages[rootId];
  if (root === undefined) return [];
  const versions = Object.values(messages).filter((m) => str(m.versionOf) === rootId);
  versions.sort((a, b) => a.createdAt - b.createdAt || (str(a.id) < str(b.id) ? -1 : str(a.id) > str(b.id) ? 1 : 0));
  return [root, ...versions];
}

/**
 * The current version of a person's message: the latest one asked for, whose text the agents
 * take as what the person said (as context of later answers and of a thread on it).
 */
export function currentVersion(messages: Record<MessageId, MessageRecord>, id: MessageId): MessageRecord | undefined {
  return versionRecords(messages, id).at(-1);
}

/**
 * Folds versions into the messages they are versions of: the records of edits and requests for
 * another answer, and the agents' answers to them, leave the list; the message they belong to
 * carries them all as `versions` (the message itself first, with its own answer). Messages
 * without versions are left as they are. `views` are one document's messages in reading order.
 */
export function foldVersions(views: readonly MessageView[]): MessageView[] {
  const asks = new Map<string, MessageView[]>();
  for (const v of views) {
    if (v.versionOf === undefined) continue;
    const list = asks.get(v.versionOf) ?? [];
    list.push(v);
    asks.set(v.versionOf, list);
  }
  if (asks.size === 0) return [...views];
  const versionIds = new Set([...asks.values()].flat().map((v) => v.id));
  const replies = new Map<string, MessageView>();
  for (const v of views) {
    // The latest answer counts (after a retry, the answer of the attempt that succeeded).
    if (v.role === "agent" && v.replyTo !== undefined) replies.set(v.replyTo, v);
  }
  const version = (ask: MessageView): MessageVersion => {
    const reply = replies.get(ask.id);
    return { kind: versionKindOf(ask), ask, ...(reply === undefined ? {} : { reply }) };
  };
  const out: MessageView[] = [];
  for (const v of views) {
    if (versionIds.has(v.id)) continue;
    if (v.role === "agent" && v.replyTo !== undefined && versionIds.has(v.replyTo)) continue;
    const own = asks.get(v.id);
    out.push(own === undefined ? v : { ...v, versions: [version(v), ...own.map(version)] });
  }
  return out;
}
