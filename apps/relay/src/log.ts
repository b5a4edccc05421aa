import { LOG_LEVELS, type LogLevel } from "./config.js";

/** Fields a log line may carry. Never put tokens, passwords, vaults or bodies in them. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Keys whose values are replaced, should one slip into a log call. */
const SECRET_KEYS = /token|password|passphrase|secret|vault|body|authorization|cookie|invite/i;
/** Anything that looks like one of our tokens is masked wherever it appears. */
const TOKEN_TEXT = /bc_(ses|pat|inv)_[0-9A-Za-z]+/g;

function clean(fields: LogFields | undefined): LogFields {
  const out: LogFields = {};
  if (!fields) return out;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = SECRET_KEYS.test(k) ? "[redacted]" : typeof v === "string" ? v.replace(TOKEN_TEXT, "bc_$1_[redacted]") : v;
  }
  return out;
}

/** A structured logger: one JSON object per line, `{ts, level, msg, ...fields}`. */
export function makeLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at = (l: Exclude<LogLevel, "silent">) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(l) < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level: l, msg: msg.replace(TOKEN_TEXT, "bc_$1_[redacted]"), ...clean(fields) }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
