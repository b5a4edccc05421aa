// Formatters are made once per zone: building one costs more than formatting with it.
const formats = new Map<string, Intl.DateTimeFormat>();
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });

function format(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(undefined, options);
    formats.set(key, f);
  }
  return f;
}

/** The time zone of this browser. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every IANA time zone this browser knows, with `UTC` and `current` among them. */
export function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["UTC", current, ...all])].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

/**
 * A moment as a person reads it in a time zone: "Today 09:00", "Tomorrow 07:30", "Mon 9 Dec 09:00",
 * with the year when it is not this one. Seconds with `seconds`.
 */
export function whenIn(ms: number, timeZone?: string, opts: { seconds?: boolean; now?: number; inSentence?: boolean } = {}): string {
  const said = whenInWords(ms, timeZone, opts);
  // Inside a sentence ("next tomorrow 07:30") the relative days are not capitalised.
  return opts.inSentence === true ? said.replace(/^(Today|Tomorrow|Yesterday)/, (w) => w.toLowerCase()) : said;
}

function whenInWords(ms: number, timeZone: string | undefined, opts: { seconds?: boolean; now?: number }): string {
  const tz = timeZone ?? browserTimeZone();
  const seconds = opts.seconds === true;
  const clock = format(`clock|${tz}|${seconds}`, {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  });
  const dayKey = format(`day|${tz}`, { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
  const now = opts.now ?? Date.now();
  const day = dayKey.format(ms);
  if (day === dayKey.format(now)) return `Today ${clock.format(ms)}`;
  if (day === dayKey.format(now + 86_400_000)) return `Tomorrow ${clock.format(ms)}`;
  if (day === dayKey.format(now - 86_400_000)) return `Yesterday ${clock.format(ms)}`;
  const sameYear = format(`y|${tz}`, { timeZone: tz, year: "numeric" });
  const withYear = sameYear.format(ms) !== sameYear.format(now);
  const date = format(`date|${tz}|${withYear}`, { timeZone: tz, weekday: "short", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}) });
  return `${date.format(ms)} ${clock.format(ms)}`;
}

/** How far a moment is from now, in words: "in 5 min.", "3 hr. ago", "in 8 sec.", "now". */
export function fromNow(ms: number, now: number = Date.now()): string {
  const s = Math.round((ms - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 2) return "now";
  if (abs < 60) return relative.format(s, "second");
  if (abs < 2700) return relative.format(Math.round(s / 60), "minute");
  if (abs < 86_400 * 1.5) return relative.format(Math.round(s / 3600), "hour");
  return relative.format(Math.round(s / 86_400), "day");
}

/** A run's length: "850 ms", "12 s", "3 min 4 s", "1 h 2 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}
