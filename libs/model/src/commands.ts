// Slash commands (`@botschat/model/commands`): the shared vocabulary and its limits. Plain data
// and functions with no Automerge, so a UI thread may use them without loading the model.
export {
  type SlashCommand,
  SLASH_COMMANDS,
  usageOf,
  commandOf,
  oneLine,
  COMMANDS_COUNTED,
  COMMAND_MAX_CHARS,
  SKILLS_PUBLISHED,
  SKILL_TEXT_MAX_CHARS,
} from "./docs/slashCommands.js";
