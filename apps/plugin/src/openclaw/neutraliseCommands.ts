/**
 * What goes in front of a `/` or `!` that OpenClaw could take for a command: a zero-width space
 * (U+200B), the character OpenClaw itself uses to defuse markdown fences in quoted context
 * (`neutralizeMarkdownFences` in dist/channel-prompt-context-*.mjs). JavaScript's `\s` does not
 * match it, so to OpenClaw's parsers the `/` is glued to a word; a model reads past it.
 */
export const COMMAND_GUARD = "\u200b";

/**
 * Text that OpenClaw 2026.9.6 reads as plain words, never as a command or a directive, with
 * nothing visible changed.
 *
 * What it defuses, from OpenClaw's parsers (dist/get-reply-*.mjs, dist/commands-handlers.runtime-*.mjs):
 * - directives (`/think`, `/verbose`, `/trace`, `/fast`, `/reasoning`, `/elevated`, `/exec`,
 *   `/status`, `/model`, `/queue`, model aliases) and the inline shortcuts (`/help`,
 *   `/commands`, `/whoami`, `/id`) match *anywhere* in the text, on any line, wherever the `/`
 *   starts a word: `(?<!\S)\/elevated(?=$|\s|:)`. So every `/` that starts a word is guarded,
 *   not only the first one of a line;
 * - standalone commands (`/bash …`, `/new`, skills) match only at the start of the text, and
 *   host shell `! <cmd>` only when the trimmed text starts with `!`. A `!` that starts a line
 *   is guarded, so the text stays safe wherever it is placed.
 *
 * @example
 * neutraliseCommands("try /elevated full"); // "try \u200b/elevated full"
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/(?<!\S)\//g, `${COMMAND_GUARD}/`).replace(/^(\s*)!/gm, `$1${COMMAND_GUARD}!`);
}
