/** Nearest-rank percentile (`p` in 0–100) of samples sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The samples sorted ascending, as a typed array. */
export const sortedSamples = (samples: ArrayLike<number>): Float64Array => Float64Array.from(samples).sort();
