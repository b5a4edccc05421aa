import { Cron } from "croner";
import { cronPatternOf } from "./cronPatternOf.js";
import { nextEveryTick } from "./nextEveryTick.js";
import { parseSchedule } from "./parseSchedule.js";
import { validTimezone } from "./validTimezone.js";

/** Where {@link nextRuns} counts from. */
export interface NextRunsOptions {
  /** The IANA time zone `at` and `cron` schedules run in. */
  timezone: string;
  /** Where `every` ticks are counted from: the task's `createdAt` (default 0, the Unix epoch). */
  anchor?: number;
  /** Runs strictly after this time, in ms since the epoch (default now). */
  from?: number;
  /** How many runs (default 5). */
  count?: number;
}

/**
 * The next times (ms since the epoch) a schedule fires, as the agents fire it: `every` at
 * `anchor + k × interval`, `at` and `cron` on croner in the time zone (a time skipped by a DST
 * change runs at the first time after the gap, a time that occurs twice runs once). An invalid
 * schedule or time zone has no runs.
 *
 * @example
 * nextRuns("at 07:30", { timezone: "Europe/Berlin", count: 3 }); // the next three mornings, 07:30 Berlin time
 */
export function nextRuns(schedule: string, options: NextRunsOptions): number[] {
  const parsed = parseSchedule(schedule);
  const count = Math.max(0, Math.floor(options.count ?? 5));
  const from = options.from ?? Date.now();
  if (!parsed.ok || count === 0) return [];
  const s = parsed.schedule;
  if (s.kind === "every") {
    const first = nextEveryTick(options.anchor ?? 0, s.ms, from);
    return Array.from({ length: count }, (_, k) => first + k * s.ms);
  }
  if (!validTimezone(options.timezone)) return [];
  const job = new Cron(cronPatternOf(s), { paused: true, timezone: options.timezone });
  return job.nextRuns(count, new Date(from)).map((d) => d.getTime());
}
