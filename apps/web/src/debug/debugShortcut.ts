/**
 * Ctrl+` opens and closes the Debug log (Ctrl+Shift+D would bookmark all tabs, and Cmd+` switches
 * windows on a Mac). The key is the one left of 1, whatever it types in the keyboard's layout.
 */
export function isDebugShortcut(e: Pick<KeyboardEvent, "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "code">): boolean {
  return e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && e.code === "Backquote";
}
