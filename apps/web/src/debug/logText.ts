import type { SyncLogEntry } from "@botschat/model";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** A line's time of day, local, to the millisecond: "14:03:07.041". */
export function timeWithMs(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Lines as plain text, one a line: "2024-05-01 14:03:07.041 WRN socket closed: 1006". */
export function logAsText(lines: readonly SyncLogEntry[]): string {
  return lines.map((l) => `${dateOf(l.ts)} ${timeWithMs(l.ts)} ${l.cat.padEnd(3)} ${l.msg}`).join("\n") + (lines.length > 0 ? "\n" : "");
}

/** A file name for a saved log: "botschat-debug-log-2024-05-01-140307.txt". */
export function logFileName(now: number): string {
  const d = new Date(now);
  return `botschat-debug-log-${dateOf(now)}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}.txt`;
}

function dateOf(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
