/** A task schedule, parsed. */
export type Schedule =
  | { kind: "every"; amount: number; unit: "s" | "m" | "h" | "d"; ms: number }
  | { kind: "at"; hour: number; minute: number }
  | { kind: "cron"; expr: string };

/** A schedule string, or why it is not one. */
export type ParseScheduleResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a task schedule: `every <n><m|h|d>` (also `s`, for short test schedules),
 * `at HH:MM` (daily, in the task's time zone) or `cron <5 or 6 fields>`.
 *
 * @example
 * parseSchedule("every 30m"); // { ok: true, schedule: { kind: "every", amount: 30, unit: "m", ms: 1800000 } }
 * parseSchedule("cron 0 9 * * 1-5");
 */
export function parseSchedule(text: string): ParseScheduleResult {
  const s = text.trim();
  const every = /^every\s+(\d{1,6})\s*([smhd])$/.exec(s);
  if (every) {
    const amount = Number(every[1]);
    const unit = every[2] as keyof typeof UNIT_MS;
    if (amount < 1) return { ok: false, message: "an interval must be at least 1" };
    return { ok: true, schedule: { kind: "every", amount, unit, ms: amount * UNIT_MS[unit] } };
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
    if (!fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f))) {
      return { ok: false, message: "a cron field uses digits, names, * / , - ? L W #" };
    }
    return { ok: true, schedule: { kind: "cron", expr } };
  }
  return { ok: false, message: "a schedule is `every 30m`, `at 09:00` or `cron 0 9 * * 1-5`" };
}
