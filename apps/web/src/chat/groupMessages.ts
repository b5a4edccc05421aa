import type { MessageView } from "@botschat/model";

/** A message with what its row shows around it. */
export interface GroupedMessage {
  message: MessageView;
  /** The first of a run by one sender: the row shows avatar, name and time. */
  first: boolean;
  /** A day label above the row, on the first message of a day. */
  day?: string;
}

/** Rows by the same sender within this long of each other form one group. */
export const GROUP_GAP_MS = 5 * 60_000;

function senderOf(m: MessageView): string {
  return m.role === "user" ? `user:${m.author ?? ""}` : `${m.role}:${m.gateway ?? ""}`;
}

function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });

/** A short label for a day: "Today", "Yesterday" or a date. */
export function dayLabel(ms: number, now = Date.now()): string {
  if (dayOf(ms) === dayOf(now)) return "Today";
  if (dayOf(ms) === dayOf(now - 86_400_000)) return "Yesterday";
  return dayFormat.format(ms);
}

/**
 * Groups messages Slack-style: a new group starts when the sender changes, after a gap of
 * {@link GROUP_GAP_MS}, on a new day, or after a message that carries a thread or actions.
 */
export function groupMessages(messages: readonly MessageView[], now = Date.now()): GroupedMessage[] {
  const out: GroupedMessage[] = [];
  let prev: MessageView | undefined;
  for (const message of messages) {
    const newDay = prev === undefined || dayOf(prev.createdAt) !== dayOf(message.createdAt);
    const first =
      prev === undefined ||
      newDay ||
      senderOf(prev) !== senderOf(message) ||
      message.createdAt - prev.createdAt > GROUP_GAP_MS ||
      prev.thread !== undefined ||
      (prev.actions?.length ?? 0) > 0;
    const row: GroupedMessage = { message, first };
    if (newDay) row.day = dayLabel(message.createdAt, now);
    out.push(row);
    prev = message;
  }
  return out;
}
