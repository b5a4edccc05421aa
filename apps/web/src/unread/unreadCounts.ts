import type { SessionUnreadView, UnreadView } from "../shared/views.js";

/** The page's title: the unread count in front when there is any, e.g. "(3) BotsChat". */
export function unreadTitle(count: number, base = "BotsChat"): string {
  return count > 0 ? `(${count}) ${base}` : base;
}

/** What an unread badge says to assistive technology. */
export function unreadLabel(count: number): string {
  return `${count} unread`;
}

/** What an unread badge shows: the count, capped so it stays small. */
export function badgeText(count: number): string {
  return count > 99 ? "99+" : String(count);
}

/** Unread counts by channel and by session, and in all. */
export interface UnreadCounts {
  total: number;
  channel(id: string): number;
  session(id: string): SessionUnreadView | undefined;
}

/**
 * Adds up an unread view; an absent view counts nothing. `shown` is the session on screen: it is
 * being read, so it counts in no badge or title (it would only flash until it is marked read).
 */
export function unreadCounts(view: UnreadView | undefined, shown?: string): UnreadCounts {
  const byChannel = new Map<string, number>();
  const bySession = new Map<string, SessionUnreadView>();
  let total = 0;
  for (const s of view?.sessions ?? []) {
    bySession.set(s.session, s);
    if (s.count === 0 || s.session === shown) continue;
    total += s.count;
    byChannel.set(s.channel, (byChannel.get(s.channel) ?? 0) + s.count);
  }
  return { total, channel: (id) => byChannel.get(id) ?? 0, session: (id) => bySession.get(id) };
}

/**
 * The sessions where an agent message arrived between two unread views: its newest unread
 * message is not the one it was. Only sessions the earlier view knew count, so opening the app
 * (or a session's page arriving late) never reads as new replies.
 */
export function freshReplies(before: UnreadView | undefined, after: UnreadView): SessionUnreadView[] {
  if (before === undefined) return [];
  const known = new Map(before.sessions.map((s) => [s.session, s]));
  return after.sessions.filter((s) => {
    const was = known.get(s.session);
    return (
      was !== undefined &&
      s.latest !== undefined &&
      s.latest.id !== was.latest?.id &&
      s.count > 0 &&
      (was.latest === undefined || s.latest.createdAt >= was.latest.createdAt)
    );
  });
}
