import { describe, expect, it } from "vitest";
import { formOf, Repeat, scheduleOf } from "./scheduleForm.js";

describe("scheduleForm", () => {
  it("reads the schedules the model parses into the editor's kinds", () => {
    expect(formOf("every 10s")).toMatchObject({ repeat: Repeat.every, amount: 10, unit: "s" });
    expect(formOf("at 7:30")).toMatchObject({ repeat: Repeat.daily, time: "07:30" });
    expect(formOf("cron 0 9 * * 1-5")).toMatchObject({ repeat: Repeat.weekdays, time: "09:00" });
    expect(formOf("cron 0 9 * * MON-FRI")).toMatchObject({ repeat: Repeat.weekdays });
    expect(formOf("cron 15 18 * * 1,4")).toMatchObject({ repeat: Repeat.weekly, time: "18:15", days: [1, 4] });
    expect(formOf("cron 0 10 * * sat,sun")).toMatchObject({ repeat: Repeat.weekly, days: [0, 6] });
    expect(formOf("cron 0 8 1 * *")).toMatchObject({ repeat: Repeat.monthly, dayOfMonth: 1, time: "08:00" });
    expect(formOf("cron */15 * * * *")).toMatchObject({ repeat: Repeat.cron, cron: "*/15 * * * *" });
    expect(formOf("cron 0 9 * 1 *")).toMatchObject({ repeat: Repeat.cron });
  });

  it("keeps the other kinds' fields when a schedule does not set them, and leaves a schedule it cannot read alone", () => {
    const weekly = formOf("cron 0 9 * * 2,3");
    const every = formOf("every 5m", weekly);
    expect(every.days).toEqual([2, 3]);
    expect(formOf("whenever", every)).toBe(every);
  });

  it("writes each kind as a schedule string that reads back the same", () => {
    for (const s of ["every 45m", "at 07:30", "cron 0 9 * * 1-5", "cron 30 6 * * 0,6", "cron 0 8 15 * *", "cron 5 4 * * sun"]) {
      expect(scheduleOf(formOf(s))).toBe(s === "cron 5 4 * * sun" ? "cron 5 4 * * 0" : s);
    }
    expect(scheduleOf({ ...formOf("at 09:00"), repeat: Repeat.weekly, days: [5, 1, 1] })).toBe("cron 0 9 * * 1,5");
  });
});
