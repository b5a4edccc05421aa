/** The kinds of repetition the schedule editor offers; each becomes one schedule string. */
export const Repeat = {
  every: "every",
  daily: "daily",
  weekdays: "weekdays",
  weekly: "weekly",
  monthly: "monthly",
  cron: "cron",
} as const;
export type Repeat = (typeof Repeat)[keyof typeof Repeat];

/** What the schedule editor's fields hold; every kind keeps its own fields while another is chosen. */
export interface ScheduleForm {
  repeat: Repeat;
  amount: number;
  unit: "s" | "m" | "h" | "d";
  /** `HH:MM`, for daily, weekdays, weekly and monthly. */
  time: string;
  /** Days of the week, 0 = Sunday … 6 = Saturday, for weekly. */
  days: number[];
  /** 1–31, for monthly. */
  dayOfMonth: number;
  /** The expression of a cron schedule (without the `cron ` prefix). */
  cron: string;
}

/** A new task's schedule: every day at nine. */
export const DEFAULT_SCHEDULE = "at 09:00";

const BLANK: ScheduleForm = { repeat: Repeat.daily, amount: 30, unit: "m", time: "09:00", days: [1], dayOfMonth: 1, cron: "0 9 * * 1-5" };
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * The editor's fields for a schedule string: `every 30m` → every 30 minutes, `at 07:30` → daily,
 * the cron patterns people mean by "weekdays", "on Mondays and Thursdays" or "on the 1st" → those
 * kinds, any other cron expression → cron. Fields the schedule does not set keep `prev`'s values.
 */
export function formOf(schedule: string, prev: ScheduleForm = BLANK): ScheduleForm {
  const s = schedule.trim();
  const every = /^every\s+(\d+)\s*([smhd])$/i.exec(s);
  if (every) return { ...prev, repeat: Repeat.every, amount: Number(every[1]), unit: every[2]!.toLowerCase() as ScheduleForm["unit"] };
  const at = /^at\s+(\d{1,2}):(\d{2})$/i.exec(s);
  if (at) return { ...prev, repeat: Repeat.daily, time: hhmm(Number(at[1]), Number(at[2])) };
  const cron = /^cron\s+(.+)$/i.exec(s);
  if (!cron) return prev;
  const expr = cron[1]!.trim().replace(/\s+/g, " ");
  const fields = expr.split(" ");
  const [min, hour, dom, month, dow] = fields;
  const timed = fields.length === 5 && /^\d{1,2}$/.test(min!) && /^\d{1,2}$/.test(hour!) && Number(min) < 60 && Number(hour) < 24 && month === "*";
  if (timed) {
    const time = hhmm(Number(hour), Number(min));
    if (dom === "*" && dow === "*") return { ...prev, repeat: Repeat.daily, time, cron: expr };
    if (dom === "*") {
      const days = daysOf(dow!);
      if (days !== undefined && days.join() === "1,2,3,4,5") return { ...prev, repeat: Repeat.weekdays, time, cron: expr };
      if (days !== undefined) return { ...prev, repeat: Repeat.weekly, time, days, cron: expr };
    }
    if (dow === "*" && /^\d{1,2}$/.test(dom!) && Number(dom) >= 1 && Number(dom) <= 31) {
      return { ...prev, repeat: Repeat.monthly, time, dayOfMonth: Number(dom), cron: expr };
    }
  }
  return { ...prev, repeat: Repeat.cron, cron: expr };
}

/** The schedule string for the editor's fields. */
export function scheduleOf(form: ScheduleForm): string {
  const [h, m] = form.time.split(":").map(Number);
  const hour = String(h ?? 0);
  const minute = String(m ?? 0);
  switch (form.repeat) {
    case Repeat.every:
      return `every ${form.amount}${form.unit}`;
    case Repeat.daily:
      return `at ${form.time}`;
    case Repeat.weekdays:
      return `cron ${minute} ${hour} * * 1-5`;
    case Repeat.weekly:
      return `cron ${minute} ${hour} * * ${[...new Set(form.days)].sort((a, b) => a - b).join(",")}`;
    case Repeat.monthly:
      return `cron ${minute} ${hour} ${form.dayOfMonth} * *`;
    case Repeat.cron:
      return `cron ${form.cron.trim()}`;
  }
}

/** A day-of-week field as day numbers (0–6, sorted, no repeats), or undefined if it is not a plain list or range. */
function daysOf(field: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const range = /^([a-z]{3}|\d)(?:-([a-z]{3}|\d))?$/i.exec(part);
    if (!range) return undefined;
    const from = dayNumber(range[1]!);
    const to = range[2] === undefined ? from : dayNumber(range[2]);
    if (from === undefined || to === undefined || to < from) return undefined;
    for (let d = from; d <= to; d++) out.add(d % 7);
  }
  return [...out].sort((a, b) => a - b);
}

function dayNumber(s: string): number | undefined {
  if (/^\d$/.test(s)) return Number(s) <= 7 ? Number(s) : undefined;
  const i = DAY_NAMES.indexOf(s.toUpperCase());
  return i < 0 ? undefined : i;
}

function hhmm(h: number, m: number): string {
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
