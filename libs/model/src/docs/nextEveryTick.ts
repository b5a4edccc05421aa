/**
 * The first tick of an `every` schedule strictly after `t`: ticks fall at `anchor + k × everyMs`
 * for whole k, so every device and agent that shares the anchor (the task's `createdAt`) names
 * the same ticks, whenever it started counting.
 *
 * @example
 * nextEveryTick(0, 60_000, 90_000); // 120000
 */
export function nextEveryTick(anchor: number, everyMs: number, t: number): number {
  return anchor + (Math.floor((t - anchor) / everyMs) + 1) * everyMs;
}
