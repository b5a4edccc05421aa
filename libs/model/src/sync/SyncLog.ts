/** Categories of the Debug Log panel. */
export const LogCategory = {
  ws: "WS",
  wsTraffic: "WST",
  api: "API",
  info: "INF",
  warn: "WRN",
  error: "ERR",
} as const;
export type LogCategory = (typeof LogCategory)[keyof typeof LogCategory];

/** One line of the engine's log stream. Never holds keys, passphrases, tokens or plaintext. */
export interface SyncLogEntry {
  ts: number;
  cat: LogCategory;
  msg: string;
}
