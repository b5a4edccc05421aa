/**
 * The slash commands every agent answers the same way (the peer core answers them, not the
 * backend): what `/help` lists and what the composer suggests after `/`.
 */
export interface SlashCommand {
  /** What is typed, `/` included. */
  name: string;
  /** What follows the name, when the command takes an argument (e.g. `<id>`). */
  args?: string;
  /** Where the argument's choices come from, for suggesting them: the gateway's models. */
  choices?: "models";
  /** One line for people. */
  description: string;
}

/** The commands in the order `/help` lists them. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: "/help", description: "Shows these commands." },
  { name: "/model", description: "Shows the model of this session and the ones to choose from." },
  { name: "/model", args: "<id>", choices: "models", description: "Switches this session to another model." },
  { name: "/skills", description: "Lists what this agent can do." },
];

/** How a command is written in `/help`: its name and its arguments. */
export const usageOf = (c: SlashCommand): string => (c.args === undefined ? c.name : `${c.name} ${c.args}`);

/** The most commands whose use the workspace counts; the least used go first beyond it. */
export const COMMANDS_COUNTED = 50;
/** The longest command text counted (longer ones are messages that happen to start with `/`). */
export const COMMAND_MAX_CHARS = 80;
/** The most skills a gateway publishes. */
export const SKILLS_PUBLISHED = 50;
/** The longest skill name or description a gateway publishes (longer ones are cut). */
export const SKILL_TEXT_MAX_CHARS = 200;

/**
 * The command a message is, for counting its use: one line starting with `/` and a letter, at
 * most {@link COMMAND_MAX_CHARS} long, its spaces collapsed; undefined for any other text.
 *
 * @example
 * commandOf("  /model   demo/fast ") // "/model demo/fast"
 * commandOf("/ not a command")      // undefined
 */
export function commandOf(text: string): string | undefined {
  const t = text.trim();
  if (!/^\/\p{L}/u.test(t) || /[\r\n]/.test(t)) return undefined;
  const command = t.replace(/\s+/g, " ");
  return command.length <= COMMAND_MAX_CHARS ? command : undefined;
}

/** A text cut to `max` characters (at a code point, with an ellipsis), its lines joined into one. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  const points = [...line];
  return points.length <= max ? line : `${points.slice(0, max - 1).join("")}…`;
}
