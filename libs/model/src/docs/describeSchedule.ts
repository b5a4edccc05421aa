import cronstrue from "cronstrue";
import { parseSchedule, type Schedule } from "./parseSchedule.js";

const UNIT_WORDS = { s: "second", m: "minute", h: "hour", d: "day" } as const;
const DAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"] as const;
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/**
 * A schedule in plain words, as a person would say it: `every 30 minutes`, `daily at 07:30
 * (Europe/Berlin)`, `weekdays at 09:00 (UTC)`. The common cron patterns get short phrases;
 * any other cron expression is described by cronstrue (24-hour times). The time zone is named
 * for `at` and `cron` schedules, when given. A schedule that does not parse comes back as
 * written (trimmed): `parseSchedule` says what is wrong with it.
 *
 * @example
 * describeSchedule("cron 0 9 * * 1-5", "UTC"); // "weekdays at 09:00 (UTC)"
 * describeSchedule("every 1h"); // "every hour"
 */
export function describeSchedule(schedule: string, timezone?: string): string {
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) return schedule.trim();
  const s = parsed.schedule;
  if (s.kind === "every") return s.amount === 1 ? `every ${UNIT_WORDS[s.unit]}` : `every ${s.amount} ${UNIT_WORDS[s.unit]}s`;
  const words = s.kind === "at" ? `daily at ${hhmm(s.hour, s.minute)}` : describeCron(s);
  return timezone !== undefined && timezone.trim() !== "" ? `${words} (${timezone.trim()})` : words;
}

function describeCron(s: Extract<Schedule, { kind: "cron" }>): string {
  const fields = s.expr.split(" ");
  // A leading seconds field of 0 says no more than the five-field form.
  const five = fields.length === 6 && fields[0] === "0" ? fields.slice(1) : fields;
  return (five.length === 5 && commonCron(five as [string, string, string, string, string])) || cronstrueWords(s.expr);
}

/** Short words for the patterns people pick most; undefined for the rest. */
function commonCron([minute, hour, dom, month, dow]: [string, string, string, string, string]): string | undefined {
  const any = (f: string): boolean => f === "*" || f === "?";
  if (!any(month)) return undefined;
  if (any(dom) && any(dow)) {
    if (minute === "*" && hour === "*") return "every minute";
    const minuteStep = /^\*\/(\d+)$/.exec(minute);
    // Only a step that divides the hour is "every N minutes": */7 also fires at :56 then :00.
    if (minuteStep && hour === "*" && 60 % Number(minuteStep[1]) === 0) return plural(Number(minuteStep[1]), "minute");
    const hourStep = hour === "*" ? 1 : Number(/^\*\/(\d+)$/.exec(hour)?.[1]);
    if (minute === "0" && hourStep > 0 && 24 % hourStep === 0) return `${plural(hourStep, "hour")}, on the hour`;
  }
  const m = clock(minute, 59);
  const h = clock(hour, 23);
  if (m === undefined || h === undefined) return undefined;
  const at = hhmm(h, m);
  if (any(dom)) {
    const days = any(dow) ? new Set([0, 1, 2, 3, 4, 5, 6]) : weekdaySet(dow);
    if (days === undefined) return undefined;
    if (days.size === 7) return `daily at ${at}`;
    if (days.size === 5 && [1, 2, 3, 4, 5].every((d) => days.has(d))) return `weekdays at ${at}`;
    if (days.size === 2 && days.has(0) && days.has(6)) return `weekends at ${at}`;
    // Monday first, Sunday last, as a week is said in most of the world.
    const names = [1, 2, 3, 4, 5, 6, 0].filter((d) => days.has(d)).map((d) => DAYS[d]!);
    return `${names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`} at ${at}`;
  }
  const day = clock(dom, 31);
  if (any(dow) && day !== undefined && day >= 1) return `monthly on day ${day} at ${at}`;
  return undefined;
}

/** The days a day-of-week field names (0 is Sunday, 7 too), or undefined when it uses steps, `L` or `#`. */
function weekdaySet(field: string): Set<number> | undefined {
  const days = new Set<number>();
  for (const part of field.toLowerCase().split(",")) {
    const [from, to, ...rest] = part.split("-").map(weekday);
    if (from === undefined || rest.length > 0) return undefined;
    if (to === undefined && part.includes("-")) return undefined;
    const end = to ?? from;
    if (end < from) return undefined;
    for (let d = from; d <= end; d++) days.add(d % 7);
  }
  return days;
}

function weekday(text: string): number | undefined {
  const named = DAY_NAMES.indexOf(text as (typeof DAY_NAMES)[number]);
  if (named >= 0) return named;
  return /^[0-7]$/.test(text) ? Number(text) : undefined;
}

/** A field holding one plain number up to `max`. */
function clock(field: string, max: number): number | undefined {
  if (!/^\d{1,2}$/.test(field)) return undefined;
  const n = Number(field);
  return n <= max ? n : undefined;
}

function cronstrueWords(expr: string): string {
  try {
    const text = cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: false });
    return text.charAt(0).toLowerCase() + text.slice(1);
  } catch {
    // Croner took it but cronstrue cannot read it: the expression is the best description left.
    return `cron ${expr}`;
  }
}

function plural(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

function hhmm(hour: number, minute: number): string {
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}
