import type { MessageView } from "@botschat/model";

/**
 * The messages of a conversation in reading order: as written, except that an agent's reply
 * comes right under the message it answers (after that message's earlier replies), even when
 * the person wrote more before it arrived — two messages sent offline read as two questions,
 * each with its answer.
 */
export function answerOrder(messages: readonly MessageView[]): MessageView[] {
  const present = new Set(messages.map((m) => m.id));
  const moves = (m: MessageView): boolean => m.role === "agent" && m.replyTo !== undefined && present.has(m.replyTo);
  const repliesTo = new Map<string, MessageView[]>();
  for (const m of messages) {
    if (!moves(m)) continue;
    const list = repliesTo.get(m.replyTo!) ?? [];
    list.push(m);
    repliesTo.set(m.replyTo!, list);
  }
  if (repliesTo.size === 0) return [...messages];
  const out: MessageView[] = [];
  const emit = (m: MessageView): void => {
    out.push(m);
    for (const r of repliesTo.get(m.id) ?? []) emit(r);
  };
  for (const m of messages) if (!moves(m)) emit(m);
  return out;
}
