/**
 * What OpenClaw sends to the channel on its own (`outbound.sendText`): a turn folded into a
 * busy session's run is answered this way, after its own dispatch has ended. A backend turn
 * that got no reply from its dispatch takes the next text sent to its conversation.
 * Texts nobody waits for (cron announcements, a recovered turn's answer) are dropped: BotsChat
 * replies travel as documents.
 */
export class OutboundMailbox {
  private readonly boxes = new Map<string, Set<(text: string) => void>>();

  /** Starts collecting texts for a conversation; `next` answers the first (waiting if need be). */
  open(accountId: string, to: string): { next(signal: AbortSignal, ms: number): Promise<string | undefined>; close(): void } {
    const key = `${accountId}|${to}`;
    const got: string[] = [];
    let wake: (() => void) | undefined;
    const listener = (text: string): void => {
      got.push(text);
      wake?.();
    };
    const set = this.boxes.get(key) ?? new Set();
    set.add(listener);
    this.boxes.set(key, set);
    const close = (): void => {
      set.delete(listener);
      if (set.size === 0 && this.boxes.get(key) === set) this.boxes.delete(key);
    };
    return {
      close,
      next: async (signal, ms) => {
        if (got.length === 0 && !signal.aborted) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, ms);
            function done(): void {
              clearTimeout(timer);
              signal.removeEventListener("abort", done);
              wake = undefined;
              resolve();
            }
            wake = done;
            signal.addEventListener("abort", done, { once: true });
          });
        }
        return got.shift();
      },
    };
  }

  /** A text OpenClaw sent; true if a turn took it. */
  deliver(accountId: string, to: string, text: string): boolean {
    const set = this.boxes.get(`${accountId}|${to}`);
    if (set === undefined || set.size === 0) return false;
    for (const l of set) l(text);
    return true;
  }
}

/** The plugin's one mailbox (the channel's outbound adapter fills it). */
export const outboundMailbox = new OutboundMailbox();
