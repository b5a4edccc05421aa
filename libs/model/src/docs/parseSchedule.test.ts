import { describe, expect, it } from "vitest";
import { parseSchedule } from "./parseSchedule.js";

const reason = (text: string): string | undefined => {
  const r = parseSchedule(text);
  return r.ok ? undefined : r.message;
};

describe("parseSchedule", () => {
  it("reads intervals, daily times and cron expressions", () => {
    expect(parseSchedule("every 30m")).toEqual({ ok: true, schedule: { kind: "every", amount: 30, unit: "m", ms: 1_800_000 } });
    expect(parseSchedule("every 2h")).toMatchObject({ ok: true, schedule: { ms: 7_200_000 } });
    expect(parseSchedule("every 1d")).toMatchObject({ ok: true, schedule: { unit: "d" } });
    expect(parseSchedule("every 5s")).toMatchObject({ ok: true, schedule: { ms: 5_000 } });
    expect(parseSchedule("at 09:00")).toEqual({ ok: true, schedule: { kind: "at", hour: 9, minute: 0 } });
    expect(parseSchedule("cron 0 9 * * 1-5")).toEqual({ ok: true, schedule: { kind: "cron", expr: "0 9 * * 1-5" } });
    expect(parseSchedule("cron */5 * * * * *")).toMatchObject({ ok: true });
    expect(parseSchedule("cron 0 9 * * mon-fri")).toMatchObject({ ok: true });
  });

  it("takes spaces around the parts and keeps a cron expression single-spaced", () => {
    expect(parseSchedule("  every 1 h ")).toMatchObject({ ok: true, schedule: { amount: 1, unit: "h", ms: 3_600_000 } });
    expect(parseSchedule("cron  0   9 * *  1-5 ")).toEqual({ ok: true, schedule: { kind: "cron", expr: "0 9 * * 1-5" } });
  });

  it("takes intervals longer than a year, but none past what milliseconds count exactly", () => {
    expect(parseSchedule("every 400d")).toMatchObject({ ok: true, schedule: { ms: 400 * 86_400_000 } });
    expect(reason("every 99999999999999999999d")).toBe("that interval is too long");
    expect(reason("every 0m")).toBe("an interval must be at least 1");
  });

  it("refuses what is not a schedule, saying why", () => {
    for (const bad of ["every 0m", "every 5", "every 5y", "at 24:00", "at 9:60", "cron 0 9 *", "cron 0 9 * * ; rm", "daily", ""]) {
      const r = parseSchedule(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it("lets croner judge cron expressions and gives its reason in words", () => {
    expect(reason("cron 61 * * * *")).toBe("a cron minute is 0–59");
    expect(reason("cron 0 25 * * *")).toBe("a cron hour is 0–23");
    expect(reason("cron 0 9 32 * *")).toBe("a cron day of the month is 1–31");
    expect(reason("cron 0 9 * 13 *")).toBe("a cron month is 1–12 or jan–dec");
    expect(reason("cron 0 9 * * 8")).toBe("a cron day of the week is 0–7 or sun–sat");
    expect(reason("cron 60 0 9 * * *")).toBe("a cron second is 0–59");
    expect(reason("cron x 9 * * *")).toBe("a cron minute cannot be “x”");
    expect(reason("cron 0 9 * * ; rm")).toBe("a cron month cannot be “;”");
    expect(reason("cron 5-2 * * * *")).toBe("a cron range goes from low to high, not “5-2”");
    expect(reason("cron */0 * * * *")).toBe("a cron step is at least 1");
    expect(reason("cron 0 9 * * 1#9")).toBe("a cron nth weekday (#) is 1–5 or L");
    expect(reason("cron 0 9 * * 1/2/3")).toBe("cron: illegal stepping “1/2/3”");
    expect(reason("cron 0 9 30 2 *")).toBe("that cron expression never fires");
  });

  it("keeps the rule of 5 or 6 cron fields, whatever croner would take", () => {
    expect(reason("cron * * * * * * *")).toBe("a cron expression has 5 or 6 fields");
    expect(reason("cron banana")).toBe("a cron expression has 5 or 6 fields");
    expect(reason("cron @daily")).toBe("a cron expression has 5 or 6 fields");
  });

  it("never answers with croner's own wording", () => {
    for (const bad of ["cron 61 * * * *", "cron 0 9 * * 1#9", "cron 0 9 LW,1 * *", "cron 0 9 * * 1/2/3", "cron 0 9 * * sunmon", "cron 0 9:30 * * *"]) {
      const message = reason(bad);
      expect(message, bad).toBeDefined();
      expect(message, bad).not.toMatch(/CronPattern|\n|at .*\.js/);
      expect(message, bad).toMatch(/^[a-z]/);
      expect(message, bad).not.toMatch(/'/);
    }
  });
});
