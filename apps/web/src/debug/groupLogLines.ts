import type { SyncLogEntry } from "@botschat/model";

/** A run of consecutive log lines of one category and one shape, shown as one line with a count. */
export interface LogGroup {
  /** Its first line; it names the group while the group lasts (expanded rows are keyed by it). */
  first: SyncLogEntry;
  last: SyncLogEntry;
  /** Every line of the run, oldest first (never more than the log it was made from). */
  lines: SyncLogEntry[];
}

/** Whole numbers and decimals standing on their own ("ack 12", "in 300 ms"), not digits inside an id. */
const NUMBER = /\b\d+(?:\.\d+)?\b/g;

/** A message with its numbers blanked out: "← ack 12" and "← ack 13" have the same shape. */
export function shapeOf(msg: string): string {
  return msg.replace(NUMBER, "#");
}

/**
 * Groups consecutive lines of the same category and shape. Groups of the previous call whose lines
 * are unchanged are returned as the same objects, so a list keyed by identity redraws only what changed.
 */
export function groupLogLines(lines: readonly SyncLogEntry[], previous: readonly LogGroup[] = []): LogGroup[] {
  const groups: LogGroup[] = [];
  let shape = "";
  for (const line of lines) {
    const open = groups.at(-1);
    const s = shapeOf(line.msg);
    if (open !== undefined && open.last.cat === line.cat && s === shape) {
      open.lines.push(line);
      open.last = line;
    } else {
      groups.push({ first: line, last: line, lines: [line] });
      shape = s;
    }
  }
  if (previous.length === 0) return groups;
  const before = new Map(previous.map((g) => [g.first, g]));
  return groups.map((g) => {
    const old = before.get(g.first);
    return old !== undefined && old.last === g.last && old.lines.length === g.lines.length ? old : g;
  });
}

/**
 * The text a group shows: its line's message, or for several lines their shared shape with each
 * number that changed given as first…last ("← ack 12…23").
 */
export function groupText(g: LogGroup): string {
  if (g.lines.length === 1) return g.first.msg;
  const a = g.first.msg.match(NUMBER) ?? [];
  const b = g.last.msg.match(NUMBER) ?? [];
  let i = 0;
  return g.first.msg.replace(NUMBER, (n) => {
    const end = b[i] ?? n;
    const start = a[i++] ?? n;
    return start === end ? start : `${start}…${end}`;
  });
}
