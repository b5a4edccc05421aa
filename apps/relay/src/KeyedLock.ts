/**
 * Runs tasks one at a time per key, in the order they were asked for; tasks under different keys
 * run side by side, and a key nobody waits on costs nothing.
 *
 * @example
 * const locks = new KeyedLock();
 * await locks.run(`${userId}/${hash}`, () => removeBlob(userId, hash));
 */
export class KeyedLock {
  /** The last task of each key, settled either way: the next one starts after it. */
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** How many keys have a task running or waiting. */
  get size(): number {
    return this.#tails.size;
  }
}
