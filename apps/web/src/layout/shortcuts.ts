/** What a workspace-wide key does. */
export type ShortcutAction = "switcher" | "previous-channel" | "next-channel" | "new-session" | "close-thread" | "help";

/** The parts of a key event the matching reads. */
export type ShortcutKey = Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey"> & { isComposing?: boolean };

/** Whether this is a Mac (or an iPad/iPhone with a keyboard), where Cmd is the command key rather than Ctrl. */
export function isMacPlatform(nav: { platform?: string; userAgentData?: { platform?: string } } | undefined = globalThis.navigator): boolean {
  const platform = nav?.userAgentData?.platform || nav?.platform || "";
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/** Whether keys typed at `target` are text (an input, textarea, select or contenteditable). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (typeof Element === "undefined" || !(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"].includes(target.type);
  return target.closest("[contenteditable]:not([contenteditable=false])") !== null;
}

/** The Latin letter of a key: the one typed, or (in a layout that types another script) the key's place. */
function letter(e: ShortcutKey): string | undefined {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  return /^Key[A-Z]$/.test(e.code) ? e.code.slice(3).toLowerCase() : undefined;
}

/**
 * The shortcut a key press is, if any. `mac` makes Cmd the command key (elsewhere Ctrl); `typing`
 * says the focus is in a text field, where only keys held with Ctrl/Cmd/Alt (and Escape, which
 * types nothing) count, so `?` stays a character there.
 */
export function matchShortcut(e: ShortcutKey, opts: { mac: boolean; typing: boolean }): ShortcutAction | undefined {
  if (e.isComposing === true) return undefined;
  const command = opts.mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const anyCommand = e.ctrlKey || e.metaKey;
  if (command && !e.altKey) {
    const l = letter(e);
    if (l === "k" && !e.shiftKey) return "switcher";
    if (l === "o" && e.shiftKey) return "new-session";
    return undefined;
  }
  if (e.altKey && !anyCommand && !e.shiftKey) {
    if (e.key === "ArrowUp") return "previous-channel";
    if (e.key === "ArrowDown") return "next-channel";
    return undefined;
  }
  if (anyCommand || e.altKey) return undefined;
  if (e.key === "Escape" && !e.shiftKey) return "close-thread";
  if (e.key === "?" && !opts.typing) return "help";
  return undefined;
}

/** The channels as the sidebar lists them: the live ones, then the archived ones. */
export function sidebarOrder<C extends { archived?: boolean }>(channels: readonly C[]): C[] {
  return [...channels.filter((c) => c.archived !== true), ...channels.filter((c) => c.archived === true)];
}

/** The channel `step` places from `current` in `order` (none past either end, or when `current` is not in it). */
export function stepChannel<C extends { id: string }>(order: readonly C[], current: string | undefined, step: 1 | -1): C | undefined {
  const at = order.findIndex((c) => c.id === current);
  return at < 0 ? undefined : order[at + step];
}

/** One line of the shortcuts list: the keys as shown, as `aria-keyshortcuts` says them, and what they do. */
export interface ShortcutHelp {
  keys: string[];
  aria: string;
  does: string;
}

/** Every shortcut, as the "Keyboard shortcuts" list shows it. */
export function shortcutList(mac: boolean): ShortcutHelp[] {
  const cmd = mac ? "⌘" : "Ctrl";
  const cmdAria = mac ? "Meta" : "Control";
  return [
    { keys: [cmd, "K"], aria: `${cmdAria}+K`, does: "Go to channel" },
    { keys: [mac ? "⌥" : "Alt", "↑"], aria: "Alt+ArrowUp", does: "Previous channel" },
    { keys: [mac ? "⌥" : "Alt", "↓"], aria: "Alt+ArrowDown", does: "Next channel" },
    { keys: [cmd, "Shift", "O"], aria: `${cmdAria}+Shift+O`, does: "New session" },
    { keys: ["Esc"], aria: "Escape", does: "Close the thread" },
    { keys: ["Ctrl", "`"], aria: "Control+`", does: "Debug log" },
    { keys: ["?"], aria: "?", does: "Keyboard shortcuts" },
  ];
}

/** `aria-keyshortcuts` of the New session button. */
export const newSessionKeys = (mac: boolean): string => (mac ? "Meta+Shift+O" : "Control+Shift+O");
