import { describe, expect, it } from "vitest";
import { duration, fromNow, whenIn } from "./timeWords.js";

describe("timeWords", () => {
  const now = Date.UTC(2026, 11, 2, 12, 0, 0); // Wed 2 Dec 2026, 12:00 UTC

  it("says a moment relative to today in the task's time zone", () => {
    expect(whenIn(Date.UTC(2026, 11, 2, 9, 0), "UTC", { now })).toBe("Today 09:00");
    expect(whenIn(Date.UTC(2026, 11, 3, 7, 30), "UTC", { now })).toBe("Tomorrow 07:30");
    expect(whenIn(Date.UTC(2026, 11, 1, 23, 59, 5), "UTC", { now, seconds: true })).toBe("Yesterday 23:59:05");
    // 23:30 UTC is already tomorrow in Berlin.
    expect(whenIn(Date.UTC(2026, 11, 2, 23, 30), "Europe/Berlin", { now })).toBe("Tomorrow 00:30");
    expect(whenIn(Date.UTC(2026, 11, 9, 9, 0), "UTC", { now })).toMatch(/9.*Dec.*09:00|Dec.*9.*09:00/);
    expect(whenIn(Date.UTC(2027, 0, 9, 9, 0), "UTC", { now })).toMatch(/2027/);
  });

  it("says how far away and how long in short words", () => {
    expect(fromNow(now + 5 * 60_000, now)).toBe("in 5 min.");
    expect(fromNow(now - 3 * 3_600_000, now)).toBe("3 hr. ago");
    expect(fromNow(now + 1000, now)).toBe("now");
    expect(fromNow(now + 8000, now)).toBe("in 8 sec.");
    expect(duration(850)).toBe("850 ms");
    expect(duration(12_400)).toBe("12 s");
    expect(duration(184_000)).toBe("3 min 4 s");
    expect(duration(3_720_000)).toBe("1 h 2 min");
  });
});
