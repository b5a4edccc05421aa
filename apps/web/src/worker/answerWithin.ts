/** What {@link answerWithin} saw: the answer in time, or the promise still on its way. */
export type Within<T> = { answered: true; value: T } | { answered: false; later: Promise<T> };

/**
 * Waits for `promise` at most `ms`. A caller that must answer a person (a tab waiting on Unlock)
 * uses it around a wait with no limit of its own — the engine's unlock waits for the relay's
 * welcome as long as it takes — and hands the rest (`later`) to whoever picks it up. A rejection
 * within the limit rejects here too.
 */
export async function answerWithin<T>(promise: Promise<T>, ms: number): Promise<Within<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  try {
    const first = await Promise.race([promise.then((value) => ({ value })), late]);
    return first === "late" ? { answered: false, later: promise } : { answered: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
}
