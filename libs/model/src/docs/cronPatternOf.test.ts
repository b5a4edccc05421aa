import { describe, expect, it } from "vitest";
import { cronPatternOf } from "./cronPatternOf.js";

describe("cronPatternOf", () => {
  it("makes a daily time a five-field pattern, passes a cron expression through, and has none for intervals", () => {
    expect(cronPatternOf({ kind: "at", hour: 7, minute: 30 })).toBe("30 7 * * *");
    expect(cronPatternOf({ kind: "cron", expr: "0 9 * * 1-5" })).toBe("0 9 * * 1-5");
    expect(cronPatternOf({ kind: "every", amount: 1, unit: "h", ms: 3_600_000 })).toBeUndefined();
  });
});
