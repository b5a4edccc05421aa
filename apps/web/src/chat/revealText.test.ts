import { createRoot, createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRevealedText, REVEAL_CATCH_UP_MS, REVEAL_TICK_MS, revealStep } from "./revealText.js";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("revealing a streaming text", () => {
  it("grows by whole words, and catches up with what arrived in about the catch-up time", () => {
    const text = "one two three four five six seven eight nine ten eleven twelve";
    let shown = "one ";
    const steps: string[] = [];
    for (let i = 0; i < REVEAL_CATCH_UP_MS / REVEAL_TICK_MS + 1 && shown !== text; i++) {
      shown = revealStep(shown, text);
      steps.push(shown);
      expect(text.startsWith(shown)).toBe(true);
      expect(shown === text || /\s/.test(text[shown.length]!)).toBe(true);
    }
    expect(shown).toBe(text);
    expect(steps.length).toBeGreaterThan(3);
  });

  it("shows a rewritten text at once", () => {
    expect(revealStep("draft one", "final answer")).toBe("final answer");
  });

  it("follows the text as it arrives, and shows all of it once told to", () => {
    const [text, setText] = createSignal("");
    const [done, setDone] = createSignal(false);
    const { shown, dispose } = createRoot((dispose) => ({ shown: createRevealedText(text, done), dispose }));
    setText("Hello there, this is a reply that arrives in one batch of words");
    vi.advanceTimersByTime(REVEAL_TICK_MS);
    expect(shown().length).toBeGreaterThan(0);
    expect(shown().length).toBeLessThan(text().length);
    vi.advanceTimersByTime(REVEAL_CATCH_UP_MS + 5 * REVEAL_TICK_MS);
    expect(shown()).toBe(text());
    setText(text() + " and then some more");
    setDone(true);
    expect(shown()).toBe(text());
    dispose();
  });
});
