import { describe, expect, it } from "vitest";
import { RateLimiter, TokenBucket } from "./TokenBucket.js";

describe("TokenBucket", () => {
  it("lets a burst through, then refuses with the time until the next token", () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.take(0), b.take(0), b.take(0)].every((r) => r.ok)).toBe(true);
    const r = b.take(0);
    expect(r).toEqual({ ok: false, retryAfterMs: 500 });
    expect(b.take(500).ok).toBe(true);
  });

  it("never saves up more than the burst", () => {
    const b = new TokenBucket(10, 2, 0);
    expect(b.take(60_000).ok && b.take(60_000).ok).toBe(true);
    expect(b.take(60_000).ok).toBe(false);
  });
});

describe("RateLimiter", () => {
  it("keeps one bucket per key and forgets full ones", () => {
    const l = new RateLimiter(1, 1);
    expect(l.take("a", 0).ok).toBe(true);
    expect(l.take("a", 0).ok).toBe(false);
    expect(l.take("b", 0).ok).toBe(true);
    l.sweep(10_000);
    expect(l.take("a", 10_000).ok).toBe(true);
  });
});
