import type { SyncLogEntry } from "@botschat/model";
import { linesAfter } from "./filterLogLines.js";

/** How close to the bottom still counts as "at the bottom" (a fractional scroll position, a last pixel row). */
export const NEAR_BOTTOM_PX = 24;

/**
 * Whether the list follows new lines: it does while the reader is at the bottom. Scrolled up, it
 * remembers the newest line there was then, to count what arrived since.
 */
export type Follow = { following: true } | { following: false; seenUpTo: SyncLogEntry | undefined };

export const FOLLOWING: Follow = { following: true };

/** Whether a scroll position is at the bottom of its content. */
export function atBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = NEAR_BOTTOM_PX): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= slack;
}

/** The follow state after the reader scrolled: following at the bottom, otherwise not (from the first scroll up). */
export function afterScroll(f: Follow, bottom: boolean, newest: SyncLogEntry | undefined): Follow {
  if (bottom) return FOLLOWING;
  return f.following ? { following: false, seenUpTo: newest } : f;
}

/** How many of the lines shown arrived since the reader scrolled up (none while following). */
export function unseenCount(f: Follow, shown: readonly SyncLogEntry[]): number {
  return f.following ? 0 : linesAfter(shown, f.seenUpTo).length;
}
