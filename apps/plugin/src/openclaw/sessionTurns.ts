/**
 * One turn at a time per OpenClaw session key, and which sessions have a turn of this plugin
 * in progress. OpenClaw folds a message sent to a busy session into the running turn (and
 * delivers its answer through the channel's outbound), so the backend waits for its own earlier
 * turns of the session instead. (A run OpenClaw starts by itself, such as its restart recovery,
 * can still fold a turn in: see `outboundMailbox`.)
 */
export class SessionTurns {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly active = new Map<string, number>();

  /** Waits for the session's earlier turns, then holds it until the returned release is called. */
  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    let released = false;
    const done = (): void => {
      if (released) return;
      released = true;
      const n = (this.active.get(key) ?? 1) - 1;
      if (n <= 0) this.active.delete(key);
      else this.active.set(key, n);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    try {
      await abortable(before, signal);
    } catch (e) {
      done();
      throw e;
    }
    return done;
  }

  /** Whether a turn of this plugin holds or waits for the session. */
  isActive(key: string): boolean {
    return this.active.has(key);
  }
}

/** The plugin's one set of session turns (the backends and the gate share it). */
export const sessionTurns = new SessionTurns();

/** Whether a session key is one of the BotsChat channel's (`agent:<agent>:botschat:…`). */
export function isBotschatSession(key: string | undefined): key is string {
  return key !== undefined && key.split(":")[2] === "botschat";
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
