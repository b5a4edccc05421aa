import { describe, expect, it } from "vitest";
import { describeSchedule } from "./describeSchedule.js";

describe("describeSchedule", () => {
  it("says intervals in words, with singular units for one", () => {
    expect(describeSchedule("every 30m")).toBe("every 30 minutes");
    expect(describeSchedule("every 1m")).toBe("every minute");
    expect(describeSchedule("every 1h")).toBe("every hour");
    expect(describeSchedule("every 2h")).toBe("every 2 hours");
    expect(describeSchedule("every 10s")).toBe("every 10 seconds");
    expect(describeSchedule("every 1d")).toBe("every day");
    expect(describeSchedule("every 90m")).toBe("every 90 minutes");
    expect(describeSchedule("every 1 h")).toBe("every hour");
  });

  it("names the time zone of daily times and cron schedules when given, never of intervals", () => {
    expect(describeSchedule("at 07:30", "Europe/Berlin")).toBe("daily at 07:30 (Europe/Berlin)");
    expect(describeSchedule("at 07:30")).toBe("daily at 07:30");
    expect(describeSchedule("at 7:05")).toBe("daily at 07:05");
    expect(describeSchedule("cron 0 9 * * 1-5", "UTC")).toBe("weekdays at 09:00 (UTC)");
    expect(describeSchedule("every 30m", "UTC")).toBe("every 30 minutes");
  });

  it("says the common cron patterns as a person would", () => {
    expect(describeSchedule("cron 30 7 * * *")).toBe("daily at 07:30");
    expect(describeSchedule("cron 0 10 * * 0,6")).toBe("weekends at 10:00");
    expect(describeSchedule("cron 0 10 * * 6,0")).toBe("weekends at 10:00");
    expect(describeSchedule("cron 0 9 * * 1")).toBe("Mondays at 09:00");
    expect(describeSchedule("cron 0 9 * * 1,3,5")).toBe("Mondays, Wednesdays and Fridays at 09:00");
    expect(describeSchedule("cron 0 8 1 * *")).toBe("monthly on day 1 at 08:00");
    expect(describeSchedule("cron */15 * * * *")).toBe("every 15 minutes");
    expect(describeSchedule("cron 0 * * * *")).toBe("every hour, on the hour");
    expect(describeSchedule("cron * * * * *")).toBe("every minute");
    expect(describeSchedule("cron 0 */2 * * *")).toBe("every 2 hours, on the hour");
    expect(describeSchedule("cron 0 30 7 * * *")).toBe("daily at 07:30");
  });

  it("reads day names in any case, 7 as Sunday, and a week of days as daily", () => {
    expect(describeSchedule("cron 0 9 * * mon-fri")).toBe("weekdays at 09:00");
    expect(describeSchedule("cron 0 9 * * MON")).toBe("Mondays at 09:00");
    expect(describeSchedule("cron 0 10 * * sat,SUN")).toBe("weekends at 10:00");
    expect(describeSchedule("cron 0 10 * * 6-7")).toBe("weekends at 10:00");
    expect(describeSchedule("cron 0 9 * * 7")).toBe("Sundays at 09:00");
    expect(describeSchedule("cron 5 4 * * sun")).toBe("Sundays at 04:05");
    expect(describeSchedule("cron 0 9 * * 0,1")).toBe("Mondays and Sundays at 09:00");
    expect(describeSchedule("cron 0 9 * * 0-6")).toBe("daily at 09:00");
  });

  it("leaves any other cron expression to cronstrue, in 24-hour time, starting lower-case", () => {
    expect(describeSchedule("cron 5 4 * 1 *")).toBe("at 04:05, only in January");
    expect(describeSchedule("cron 0 9 L * *")).toBe("at 09:00, on the last day of the month");
    expect(describeSchedule("cron 5 * * * *")).toBe("at 5 minutes past the hour");
    expect(describeSchedule("cron 15 10 * * 1#2", "Europe/Paris")).toBe("at 10:15, on the second Monday of the month (Europe/Paris)");
    expect(describeSchedule("cron */5 * * * * *")).toBe("every 5 seconds");
  });

  it("gives back a schedule that does not parse as written, trimmed", () => {
    expect(describeSchedule("  sometimes ")).toBe("sometimes");
    expect(describeSchedule("cron 0 25 * * *", "UTC")).toBe("cron 0 25 * * *");
  });
});
