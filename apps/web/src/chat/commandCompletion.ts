import { SLASH_COMMANDS } from "@botschat/model/commands";

/** One suggestion of the `/` completion: the text it puts in the composer and a line about it. */
export interface CommandOption {
  text: string;
  description: string;
}

/** What a channel's gateway publishes that the completion suggests. */
export interface CommandSource {
  models?: readonly { id: string; name?: string | undefined }[] | undefined;
  skills?: readonly { name: string; description: string }[] | undefined;
}

/** The most suggestions shown at once (a gateway may publish many models and skills). */
export const OPTIONS_SHOWN = 50;

/**
 * Everything `/` may complete to, in the order `/help` lists the commands: each command, a command
 * with each of its choices (`/model demo/fast` for every model of the gateway), then the agent's
 * skills as `/name`. `model` is the session's model, said on its entry.
 *
 * @example
 * commandOptions({ models: [{ id: "demo/fast", name: "Demo Fast" }] })
 * // [{ text: "/help", … }, { text: "/model", … }, { text: "/model demo/fast", description: "Switches this session to Demo Fast." }, …]
 */
export function commandOptions(source: CommandSource | undefined, model?: string): CommandOption[] {
  const options: CommandOption[] = [];
  for (const c of SLASH_COMMANDS) {
    if (c.args === undefined) options.push({ text: c.name, description: c.description });
    else if (c.choices === "models") {
      for (const m of source?.models ?? []) {
        const name = m.name ?? m.id;
        options.push({ text: `${c.name} ${m.id}`, description: m.id === model ? `${name}: this session's model.` : `Switches this session to ${name}.` });
      }
    }
  }
  for (const s of source?.skills ?? []) {
    // A skill is invoked by its name; one with spaces in it cannot be typed as a command.
    if (/\s/.test(s.name) || s.name === "") continue;
    options.push({ text: `/${s.name}`, description: s.description });
  }
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.text) && seen.add(o.text));
}

/**
 * The suggestions for what the composer holds: none unless it is one line starting with `/`.
 * Those that begin with the text come first, then those with a word beginning with what follows
 * the `/` (`/fast` finds `/model demo/fast`); case does not matter.
 */
export function completeCommand(text: string, options: readonly CommandOption[]): CommandOption[] {
  if (!text.startsWith("/") || /[\r\n]/.test(text)) return [];
  const typed = text.toLowerCase().replace(/\s+/g, " ");
  const word = typed.slice(1).trim();
  const starts: CommandOption[] = [];
  const within: CommandOption[] = [];
  for (const o of options) {
    const t = o.text.toLowerCase();
    if (t.startsWith(typed)) starts.push(o);
    else if (word !== "" && !word.includes(" ") && t.split(/[\s/_.-]+/).some((w) => w.startsWith(word))) within.push(o);
  }
  return [...starts, ...within].slice(0, OPTIONS_SHOWN);
}

/** The commands the bar shows: the most used first (the order given), at most `max`. */
export function barCommands(uses: readonly { command: string }[] | undefined, max = 6): string[] {
  return (uses ?? []).slice(0, max).map((u) => u.command);
}
