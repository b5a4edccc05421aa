import { describe, expect, it } from "vitest";
import { nextRuns } from "./nextRuns.js";

const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());
const at = (text: string): number => Date.parse(text);

describe("nextRuns", () => {
  it("counts `every` ticks from the anchor, the task's creation, strictly after `from`", () => {
    const createdAt = at("2026-03-01T08:10:00.000Z");
    expect(iso(nextRuns("every 30m", { timezone: "UTC", anchor: createdAt, from: createdAt + 45 * 60_000, count: 3 }))).toEqual([
      "2026-03-01T09:10:00.000Z",
      "2026-03-01T09:40:00.000Z",
      "2026-03-01T10:10:00.000Z",
    ]);
    // On a tick is not after it: the next run is the following tick.
    expect(iso(nextRuns("every 30m", { timezone: "UTC", anchor: createdAt, from: createdAt, count: 1 }))).toEqual(["2026-03-01T08:40:00.000Z"]);
  });

  it("counts `every` ticks from the Unix epoch when no anchor is given, in no time zone", () => {
    expect(iso(nextRuns("every 1h", { timezone: "Europe/Berlin", from: at("2026-03-01T10:20:00Z"), count: 2 }))).toEqual([
      "2026-03-01T11:00:00.000Z",
      "2026-03-01T12:00:00.000Z",
    ]);
  });

  it("runs `at HH:MM` daily at that wall-clock time in the time zone, across the spring DST change", () => {
    expect(iso(nextRuns("at 07:30", { timezone: "Europe/Berlin", from: at("2026-03-27T12:00:00Z"), count: 3 }))).toEqual([
      "2026-03-28T06:30:00.000Z", // 07:30 CET
      "2026-03-29T05:30:00.000Z", // 07:30 CEST
      "2026-03-30T05:30:00.000Z",
    ]);
  });

  it("runs `at 02:30` on the night Berlin skips 02:00–03:00 at 03:00 CEST, the first time after the gap (croner's rule for fixed times)", () => {
    expect(iso(nextRuns("at 02:30", { timezone: "Europe/Berlin", from: at("2026-03-28T12:00:00Z"), count: 2 }))).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("runs `at 02:30` once on the night Berlin has 02:30 twice, at the first (CEST) one", () => {
    expect(iso(nextRuns("at 02:30", { timezone: "Europe/Berlin", from: at("2026-10-24T12:00:00Z"), count: 2 }))).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("runs cron expressions in the time zone: weekdays only, skipping the weekend", () => {
    // 2026-03-06 is a Friday.
    expect(iso(nextRuns("cron 0 9 * * 1-5", { timezone: "UTC", from: at("2026-03-06T12:00:00Z"), count: 2 }))).toEqual([
      "2026-03-09T09:00:00.000Z",
      "2026-03-10T09:00:00.000Z",
    ]);
    expect(iso(nextRuns("cron 0 9 * * mon-fri", { timezone: "Asia/Tokyo", from: at("2026-03-06T12:00:00Z"), count: 1 }))).toEqual(["2026-03-09T00:00:00.000Z"]);
  });

  it("gives only runs strictly after `from`, to the millisecond", () => {
    const nine = at("2026-03-09T09:00:00.000Z");
    expect(nextRuns("cron 0 9 * * *", { timezone: "UTC", from: nine - 1, count: 1 })).toEqual([nine]);
    expect(nextRuns("cron 0 9 * * *", { timezone: "UTC", from: nine, count: 1 })).toEqual([nine + 86_400_000]);
    expect(nextRuns("cron 0 9 * * *", { timezone: "UTC", from: nine + 500, count: 1 })).toEqual([nine + 86_400_000]);
  });

  it("gives five runs after now by default", () => {
    const before = Date.now();
    const runs = nextRuns("every 1m", { timezone: "UTC" });
    expect(runs).toHaveLength(5);
    expect(runs[0]!).toBeGreaterThan(before);
    expect(runs[0]! - before).toBeLessThanOrEqual(60_000);
  });

  it("gives no runs for a schedule or time zone that is not valid, or a count of 0", () => {
    expect(nextRuns("sometimes", { timezone: "UTC" })).toEqual([]);
    expect(nextRuns("cron 0 25 * * *", { timezone: "UTC" })).toEqual([]);
    expect(nextRuns("at 09:00", { timezone: "Mars/Olympus" })).toEqual([]);
    expect(nextRuns("at 09:00", { timezone: "UTC", count: 0 })).toEqual([]);
  });
});
