/**
 * A one-consumer queue of values pushed by callbacks, read with `for await`. `end` finishes the
 * iteration after the values queued so far; `fail` makes the next read throw.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private done = false;
  private error: { e: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.done || this.error !== undefined) return;
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.done = true;
    this.notify();
  }

  fail(e: unknown): void {
    if (this.error === undefined) this.error = { e };
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.error !== undefined) throw this.error.e;
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
