import type { SyncEngine } from "../src/sync/SyncEngine.js";

/**
 * Resolves once `check` holds, checking it now, on every `status` and `remote` event of the
 * engines (so the moment is caught as soon as the engine reports it, not on a polling tick) and
 * every 50 ms; rejects after `timeoutMs`.
 */
export function waitFor(engines: readonly SyncEngine[], check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let checking = false;
    let again = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearInterval(tick);
      clearTimeout(timer);
      for (const e of engines) {
        e.off("status", run);
        e.off("remote", run);
      }
      if (error) reject(error);
      else resolve();
    };
    // One check at a time; an event during a check runs it once more afterwards.
    const run = (): void => {
      if (done) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      void Promise.resolve()
        .then(check)
        .then(
          (ok) => {
            checking = false;
            if (ok) finish();
            else if (again) {
              again = false;
              run();
            }
          },
          (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
        );
    };
    const tick = setInterval(run, 50);
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    for (const e of engines) {
      e.on("status", run);
      e.on("remote", run);
    }
    run();
  });
}
