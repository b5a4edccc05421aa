import { type Accessor, createEffect, createSignal, onCleanup } from "solid-js";

/** How often the revealed text grows (ms): also how often a streaming reply's Markdown is drawn. */
export const REVEAL_TICK_MS = 40;
/** How long what just arrived takes to be shown in full (ms): about the agent's batching interval. */
export const REVEAL_CATCH_UP_MS = 300;

/**
 * How much of `text` to show after a tick: a step that catches up with what arrived in about
 * {@link REVEAL_CATCH_UP_MS}, ending at a word's end; all of it when the text was rewritten
 * rather than grown.
 */
export function revealStep(shown: string, text: string): string {
  if (!text.startsWith(shown)) return text;
  const left = text.length - shown.length;
  if (left === 0) return text;
  const step = Math.max(1, Math.ceil((left * REVEAL_TICK_MS) / REVEAL_CATCH_UP_MS));
  const space = text.slice(shown.length + step).search(/\s/);
  return space < 0 ? text : text.slice(0, shown.length + step + space);
}

/**
 * A streaming text revealed a few words at a time: the agent sends what is new a few times a
 * second (to fill its frames), and this makes it read as it is written instead of in jumps. With
 * `instant` (the stream ended, or the person prefers reduced motion), all of it at once.
 */
export function createRevealedText(text: Accessor<string>, instant: Accessor<boolean>): Accessor<string> {
  const [shown, setShown] = createSignal(instant() ? text() : "");
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  createEffect(() => {
    const target = text();
    if (instant()) {
      stop();
      setShown(target);
      return;
    }
    if (shown() === target || timer !== undefined) return;
    timer = setInterval(() => {
      const next = revealStep(shown(), text());
      setShown(next);
      if (next === text()) stop();
    }, REVEAL_TICK_MS);
  });
  onCleanup(stop);
  return shown;
}
