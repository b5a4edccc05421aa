import type { LogCategory, SyncLogEntry } from "@botschat/model";

/** The categories of the Debug log, in the order of its filter buttons (after "ALL"). */
export const LOG_CATEGORIES: readonly LogCategory[] = ["WS", "WST", "API", "INF", "WRN", "ERR"];

/** The lines of the categories shown whose message holds `text` (any case), or whose category is `text`. */
export function filterLogLines(lines: readonly SyncLogEntry[], shown: ReadonlySet<LogCategory>, text: string): readonly SyncLogEntry[] {
  const needle = text.trim().toLowerCase();
  if (needle === "" && LOG_CATEGORIES.every((c) => shown.has(c))) return lines;
  return lines.filter((l) => shown.has(l.cat) && (needle === "" || l.msg.toLowerCase().includes(needle) || l.cat.toLowerCase() === needle));
}

/**
 * The categories shown after a press on a filter button: "ALL" shows every one; a category is
 * switched on or off, or with `only` (Shift+click) becomes the one shown.
 */
export function pressFilter(shown: ReadonlySet<LogCategory>, pressed: LogCategory | "ALL", only = false): ReadonlySet<LogCategory> {
  if (pressed === "ALL") return new Set(LOG_CATEGORIES);
  if (only) return new Set([pressed]);
  const next = new Set(shown);
  if (next.has(pressed)) next.delete(pressed);
  else next.add(pressed);
  return next;
}

/**
 * The lines after `marker` (a line the reader has already dealt with: cleared, or seen before
 * scrolling up). A marker no longer in the lines fell off the front of the bounded log, so every
 * line left is newer; no marker means every line.
 */
export function linesAfter(lines: readonly SyncLogEntry[], marker: SyncLogEntry | undefined): readonly SyncLogEntry[] {
  if (marker === undefined) return lines;
  const at = lines.lastIndexOf(marker);
  return at < 0 ? lines : lines.slice(at + 1);
}
