import { beforeAll, describe, expect, it } from "vitest";
import { randomOrTestNonce } from "./randomOrTestNonce.js";
import { ready } from "./ready.js";

beforeAll(ready);

type Env = Record<string, string | undefined>;
const env = (globalThis as unknown as { process: { env: Env } }).process.env;

/** Runs `body` with `VITEST` removed from the environment, as in production. */
function outsideTests<T>(body: () => T): T {
  const saved = env["VITEST"];
  delete env["VITEST"];
  try {
    return body();
  } finally {
    env["VITEST"] = saved;
  }
}

describe("dangerousTestOnlyNonce", () => {
  it("without the knob, every call draws fresh random bytes of the asked length", () => {
    const a = randomOrTestNonce(24);
    const b = randomOrTestNonce(24);
    expect(a).toHaveLength(24);
    expect(a).not.toEqual(b);
  });

  it("under tests the knob's bytes are used, as a copy", () => {
    const nonce = new Uint8Array(24).fill(7);
    const used = randomOrTestNonce(24, nonce);
    expect(used).toEqual(nonce);
    nonce[0] = 0;
    expect(used[0]).toBe(7);
  });

  it("outside tests the knob is refused with an error", () => {
    expect(() => outsideTests(() => randomOrTestNonce(24, new Uint8Array(24)))).toThrow(/refused outside tests/);
    expect(outsideTests(() => randomOrTestNonce(24))).toHaveLength(24);
  });

  it("a knob of the wrong length is refused", () => {
    expect(() => randomOrTestNonce(24, new Uint8Array(23))).toThrow(RangeError);
  });
});
