import { Cron, CronPattern } from "croner";

/** A task schedule, parsed. */
export type Schedule =
  { kind: "every"; amount: number; unit: "s" | "m" | "h" | "d"; ms: number } | { kind: "at"; hour: number; minute: number } | { kind: "cron"; expr: string };

/** A schedule string, or why it is not one. */
export type ParseScheduleResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a task schedule: `every <n><m|h|d>` (also `s`, for short test schedules),
 * `at HH:MM` (daily, in the task's time zone) or `cron <5 or 6 fields>`. Croner, which runs
 * the schedules, decides whether a cron expression is valid; its reason comes back in words.
 *
 * @example
 * parseSchedule("every 30m"); // { ok: true, schedule: { kind: "every", amount: 30, unit: "m", ms: 1800000 } }
 * parseSchedule("cron 0 25 * * *"); // { ok: false, message: "a cron hour is 0–23" }
 */
export function parseSchedule(text: string): ParseScheduleResult {
  const s = text.trim();
  const every = /^every\s+(\d+)\s*([smhd])$/.exec(s);
  if (every) {
    const amount = Number(every[1]);
    const unit = every[2] as keyof typeof UNIT_MS;
    const ms = amount * UNIT_MS[unit];
    if (amount < 1) return { ok: false, message: "an interval must be at least 1" };
    // Past 2^53 the tick arithmetic (anchor + k × ms) stops being exact.
    if (!Number.isSafeInteger(ms)) return { ok: false, message: "that interval is too long" };
    return { ok: true, schedule: { kind: "every", amount, unit, ms } };
  }
  const at = /^at\s+(\d{1,2}):(\d{2})$/.exec(s);
  if (at) {
    const hour = Number(at[1]);
    const minute = Number(at[2]);
    if (hour > 23 || minute > 59) return { ok: false, message: "a time of day is HH:MM, 00:00 to 23:59" };
    return { ok: true, schedule: { kind: "at", hour, minute } };
  }
  const cron = /^cron\s+(.+)$/.exec(s);
  if (cron) {
    const expr = cron[1]!.trim().replace(/\s+/g, " ");
    const fields = expr.split(" ");
    if (fields.length < 5 || fields.length > 6) return { ok: false, message: "a cron expression has 5 or 6 fields" };
    const problem = cronProblem(expr);
    if (problem !== undefined) return { ok: false, message: problem };
    return { ok: true, schedule: { kind: "cron", expr } };
  }
  return { ok: false, message: "a schedule is `every 30m`, `at 09:00` or `cron 0 9 * * 1-5`" };
}

/** Croner's field names (`configuration entry N` counts a 5-field expression from the seconds it prepends). */
const FIELDS = ["second", "minute", "hour", "day of the month", "month", "day of the week"] as const;

/** What each field holds, keyed by croner's name for it. */
const RANGES: Record<string, string> = {
  second: "a cron second is 0–59",
  minute: "a cron minute is 0–59",
  hour: "a cron hour is 0–23",
  day: "a cron day of the month is 1–31",
  nearestWeekdays: "a cron day of the month is 1–31",
  month: "a cron month is 1–12 or jan–dec",
  dayOfWeek: "a cron day of the week is 0–7 or sun–sat",
};

/** Why croner refuses `expr`, in words; undefined when it takes it and it fires at some time. */
function cronProblem(expr: string): string | undefined {
  try {
    // CronPattern, not Cron: `new Cron` reads any text with a colon as a date.
    new CronPattern(expr, undefined, { mode: "5-or-6-parts" });
  } catch (e) {
    return cronReason(e instanceof Error ? e.message : String(e));
  }
  // A valid pattern may still name no real date (`0 9 30 2 *`): croner then never fires it.
  if (new Cron(expr, { paused: true, timezone: "UTC" }).nextRun(new Date(0)) === null) return "that cron expression never fires";
  return undefined;
}

/** Croner's error message as a short phrase a person understands. */
function cronReason(message: string): string {
  const m = message.replace(/^CronPattern:\s*/, "");
  const range = /^Invalid value for (\w+)/.exec(m);
  if (range) return RANGES[range[1]!] ?? "a cron field is out of range";
  const illegal = /^configuration entry (\d+) \((.*)\) contains illegal characters/.exec(m);
  if (illegal) return `a cron ${FIELDS[Number(illegal[1])] ?? "field"} cannot be “${illegal[2]}”`;
  const backwards = /^From value is larger than to value: '(.*)'/.exec(m);
  if (backwards) return `a cron range goes from low to high, not “${backwards[1]}”`;
  if (/illegal stepping: 0$/.test(m)) return "a cron step is at least 1";
  if (/steps cannot be greater/.test(m)) return "a cron step is larger than its field";
  if (/name has to stand alone/.test(m)) return "a cron month or day name stands alone";
  if (/nth weekday out of range/.test(m)) return "a cron nth weekday (#) is 1–5 or L";
  // Anything else: croner's first sentence, without its prefix, in the quotes the others use.
  const plain = m
    .replace(/^Syntax error,\s*/i, "")
    .split(/\.\s/)[0]!
    .replace(/\.$/, "")
    .replace(/'([^']*)'/g, "“$1”")
    .replace(/:\s*“/g, " “");
  // Lower-case a first word, not a letter that is cron syntax (`W`, `LW`).
  return `cron: ${/^[A-Z][a-z]/.test(plain) ? plain.charAt(0).toLowerCase() + plain.slice(1) : plain}`;
}
