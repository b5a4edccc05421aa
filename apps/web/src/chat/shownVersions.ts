import type { MessageView } from "@botschat/model";

/** Which version of a person's message (and of its answer) a row shows. */
export interface ShownVersion {
  /** The person's message the versions belong to. */
  root: string;
  /** The records of the versions, in order (the message's own id first). */
  ids: string[];
  /** The shown one's place in `ids`. */
  index: number;
  /** The shown version's record: a retry acts on it. */
  ask: string;
  /** Some version changed the text: the person's row can be browsed too. */
  edited: boolean;
}

/** A row as this device shows it: with the version it shows, when its message has versions. */
export type ShownMessage = MessageView & { shown?: ShownVersion };

/**
 * The rows as this device shows them. A person's message with versions shows the version chosen
 * on this device (`chosen`: the message's id → the version's record id), else the latest: its
 * text and status are that version's, and that version's answer takes the place of the first
 * answer under it. Versions themselves are in the documents, so every device can browse them;
 * which one is shown is this device's choice.
 */
export function shownVersions(messages: readonly MessageView[], chosen: ReadonlyMap<string, string>): ShownMessage[] {
  if (!messages.some((m) => m.versions !== undefined)) return messages as ShownMessage[];
  const picked = new Map<string, { shown: ShownVersion; ask: MessageView; reply?: MessageView }>();
  for (const m of messages) {
    if (m.versions === undefined) continue;
    const ids: string[] = m.versions.map((v) => v.ask.id);
    const at = ids.indexOf(chosen.get(m.id) ?? "");
    const index = at < 0 ? ids.length - 1 : at;
    const v = m.versions[index]!;
    const shown: ShownVersion = { root: m.id, ids, index, ask: v.ask.id, edited: m.versions.some((x) => x.kind === "edit") };
    picked.set(m.id, { shown, ask: v.ask, ...(v.reply === undefined ? {} : { reply: v.reply }) });
  }
  const out: ShownMessage[] = [];
  for (const m of messages) {
    // The first answer: the shown version's answer stands in its place.
    if (m.role === "agent" && m.replyTo !== undefined && picked.has(m.replyTo)) continue;
    const p = picked.get(m.id);
    if (p === undefined) {
      out.push(m);
      continue;
    }
    const { error: _error, claim: _claim, versions: _versions, ...base } = m;
    const { ask, shown } = p;
    out.push({
      ...base,
      text: ask.text,
      status: ask.status,
      attempt: ask.attempt,
      ...(ask.error === undefined ? {} : { error: ask.error }),
      ...(ask.claim === undefined ? {} : { claim: ask.claim }),
      shown,
    });
    if (p.reply !== undefined) out.push({ ...p.reply, replyTo: m.id, shown });
  }
  return out;
}

/**
 * The message a thread hangs off, as its thread shows it: a person's message in its latest
 * version, or an answer — also the answer to a version, which is not a row of its own.
 */
export function threadParent(messages: readonly MessageView[], id: string): ShownMessage | undefined {
  const row = shownVersions(messages, new Map()).find((m) => m.id === id);
  if (row !== undefined) {
    // Browsed in the conversation, not here.
    const { shown: _shown, ...plain } = row;
    return plain;
  }
  for (const m of messages) for (const v of m.versions ?? []) if (v.reply?.id === id) return v.reply;
  return undefined;
}
