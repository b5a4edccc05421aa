/**
 * "Chrome on Linux": a browser and its system, from a user agent (the start of one names the
 * system at least; the relay keeps only its first 64 characters).
 */
export function labelOfUserAgent(ua: string): string {
  const browser = /Firefox\//.test(ua) ? "Firefox" : /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return `${browser}${os ? ` on ${os}` : ""}`.slice(0, 64);
}

/** A signed-in session's name as people read it: the relay names one by the user agent that signed in. */
export function sessionName(label: string): string {
  if (label.trim() === "") return "Unnamed session";
  return /^Mozilla\/|AppleWebKit|Gecko\//.test(label) ? labelOfUserAgent(label) : label;
}
