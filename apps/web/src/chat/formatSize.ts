const UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * A file size as people read it: bytes below 1 KB, then one decimal below 10 of a unit and whole
 * numbers above (1024-based, as file managers show sizes).
 *
 * @example
 * formatSize(1536); // "1.5 KB"
 * formatSize(3 * 1024 * 1024); // "3 MB"
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.99 KB would read "1024 KB": move up a unit when rounding reaches it.
  if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, "") : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}
