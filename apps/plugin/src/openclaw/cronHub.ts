import type { CronChangedEvent, CronService } from "./openclawSdk.js";

/**
 * Where the plugin's service and hooks hand OpenClaw's cron to the channel accounts: the cron
 * handle (`ctx.getCron()` of the `botschat-cron` service) and the `cron_changed` events.
 */
export class CronHub {
  private service: CronService | undefined;
  private readonly waiting = new Set<(s: CronService) => void>();
  private readonly listeners = new Set<(e: CronChangedEvent) => void>();

  /** The service started (a handle) or stopped (undefined). */
  setService(service: CronService | undefined): void {
    this.service = service;
    if (service === undefined) return;
    for (const w of this.waiting) w(service);
    this.waiting.clear();
  }

  /** The cron handle, waiting (bounded) for the service to start. */
  async service_(ms = 30_000): Promise<CronService> {
    if (this.service !== undefined) return this.service;
    return new Promise<CronService>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(done);
        reject(new Error("OpenClaw's cron service is not available (is cron enabled?)"));
      }, ms);
      const done = (s: CronService): void => {
        clearTimeout(timer);
        resolve(s);
      };
      this.waiting.add(done);
    });
  }

  /** Tells the listeners about a `cron_changed` event. */
  changed(event: CronChangedEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // One listener's failure does not keep the event from the others.
      }
    }
  }

  onChanged(listener: (e: CronChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The plugin's one hub (the entry registers into it; accounts read from it). */
export const cronHub = new CronHub();
