import type { Schedule } from "./parseSchedule.js";

/**
 * The cron pattern that runs a schedule: `at HH:MM` is a daily five-field pattern, a `cron`
 * schedule its own expression; `every` runs on no cron pattern (see `nextEveryTick`). The one
 * place that maps a schedule to cron, for the schedulers and for {@link nextRuns}.
 *
 * @example
 * cronPatternOf({ kind: "at", hour: 7, minute: 30 }); // "30 7 * * *"
 */
export function cronPatternOf(schedule: Extract<Schedule, { kind: "at" | "cron" }>): string;
export function cronPatternOf(schedule: Schedule): string | undefined;
export function cronPatternOf(schedule: Schedule): string | undefined {
  switch (schedule.kind) {
    case "every":
      return undefined;
    case "at":
      return `${schedule.minute} ${schedule.hour} * * *`;
    case "cron":
      return schedule.expr;
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}
