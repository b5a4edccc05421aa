import { afterEach, describe, expect, it, vi } from "vitest";
import { answerWithin } from "./answerWithin.js";

describe("answerWithin", () => {
  afterEach(() => void vi.useRealTimers());

  it("answers with the value when the promise settles in time", async () => {
    expect(await answerWithin(Promise.resolve(7), 1_000)).toEqual({ answered: true, value: 7 });
  });

  it("answers 'not yet' after the limit and hands over the promise, which still settles", async () => {
    vi.useFakeTimers();
    let settle!: (v: string) => void;
    const slow = new Promise<string>((r) => (settle = r));
    const result = answerWithin(slow, 15_000);
    await vi.advanceTimersByTimeAsync(15_000);
    const r = await result;
    expect(r.answered).toBe(false);
    settle("welcome");
    expect(r.answered === false && (await r.later)).toBe("welcome");
  });

  it("passes a rejection within the limit on", async () => {
    await expect(answerWithin(Promise.reject(new Error("boom")), 1_000)).rejects.toThrow("boom");
  });
});
