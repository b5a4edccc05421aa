/**
 * Reconnect delays: exponential from `base` to `max`, with full jitter (AWS's "full jitter"
 * scheme) so that many peers cut off together do not come back together.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly base = 500,
    private readonly max = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.max, this.base * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(this.base / 2 + this.random() * (ceiling - this.base / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
