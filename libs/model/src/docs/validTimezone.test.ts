import { describe, expect, it } from "vitest";
import { validTimezone } from "./validTimezone.js";

describe("validTimezone", () => {
  it("knows IANA zones and UTC", () => {
    for (const tz of ["Europe/Berlin", "Asia/Tokyo", "America/New_York", "UTC", "Etc/GMT+1"]) expect(validTimezone(tz), tz).toBe(true);
  });

  it("refuses names that are no zone, an empty name and bare offsets", () => {
    for (const tz of ["Mars/Olympus", "", " ", "Berlin", "+01:00"]) expect(validTimezone(tz), tz).toBe(false);
  });
});
