/**
 * Whether `tz` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`), as `Intl`
 * and croner read it. Zone names are matched without regard to case, as `Intl` does.
 *
 * @example
 * validTimezone("Europe/Berlin"); // true
 * validTimezone("Mars/Olympus"); // false
 */
export function validTimezone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
