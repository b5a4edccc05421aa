import { describe, expect, it } from "vitest";
import { ready } from "./ready.js";
import { sha256 } from "./sha256.js";

describe("ready", () => {
  // Vitest isolates test files, so libsodium is not yet initialised for this module here.
  it("a function called before ready() throws an error that says to await ready()", () => {
    expect(() => sha256(new Uint8Array(1))).toThrow(/await ready\(\)/);
  });

  it("ready() may be awaited any number of times, after which functions work", async () => {
    await Promise.all([ready(), ready()]);
    await ready();
    expect(sha256(new Uint8Array(0))).toHaveLength(32);
  });
});
