import { describe, expect, it } from "vitest";
import { parseSchedule } from "./parseSchedule.js";

describe("parseSchedule", () => {
  it("reads intervals, daily times and cron expressions", () => {
    expect(parseSchedule("every 30m")).toEqual({ ok: true, schedule: { kind: "every", amount: 30, unit: "m", ms: 1_800_000 } });
    expect(parseSchedule("every 2h")).toMatchObject({ ok: true, schedule: { ms: 7_200_000 } });
    expect(parseSchedule("every 1d")).toMatchObject({ ok: true, schedule: { unit: "d" } });
    expect(parseSchedule("every 5s")).toMatchObject({ ok: true, schedule: { ms: 5_000 } });
    expect(parseSchedule("at 09:00")).toEqual({ ok: true, schedule: { kind: "at", hour: 9, minute: 0 } });
    expect(parseSchedule("cron 0 9 * * 1-5")).toEqual({ ok: true, schedule: { kind: "cron", expr: "0 9 * * 1-5" } });
    expect(parseSchedule("cron */5 * * * * *")).toMatchObject({ ok: true });
  });

  it("refuses what is not a schedule, saying why", () => {
    for (const bad of ["every 0m", "every 5", "every 5y", "at 24:00", "at 9:60", "cron 0 9 *", "cron 0 9 * * ; rm", "daily"]) {
      const r = parseSchedule(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
});
