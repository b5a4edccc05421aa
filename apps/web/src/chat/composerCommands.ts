import type { CommandUseView, GatewayView } from "@botschat/model";
import { type Accessor, createMemo } from "solid-js";
import { barCommands, type CommandOption, commandOptions } from "./commandCompletion.js";

/** What a composer offers of the slash commands: its `commands` and `frequent`. */
export interface ComposerCommands {
  /** What `/` completes to. */
  commands: Accessor<CommandOption[]>;
  /** The command bar: the person's most used commands, most used first. */
  frequent: Accessor<string[]>;
}

/**
 * The slash commands a composer of a session offers, the chat's and a thread's alike: `/`
 * completes to the commands with the gateway's models and skills (the session's model, else the
 * gateway's default, said on its entry), and the bar holds the person's most used commands.
 *
 * @example
 * const slash = createComposerCommands({ gateway: () => props.gateway, model: () => props.session.model, commands: () => props.commands });
 * <Composer commands={slash.commands()} frequent={slash.frequent()} … />
 */
export function createComposerCommands(source: {
  /** The channel's gateway, its default model the one the session answers with when it names none. */
  gateway: () => GatewayView | undefined;
  /** The session's own model, when it names one. */
  model: () => string | undefined;
  /** The person's slash commands, most used first. */
  commands: () => readonly CommandUseView[] | undefined;
}): ComposerCommands {
  const commands = createMemo(() => {
    const gateway = source.gateway();
    return commandOptions(gateway, source.model() ?? gateway?.defaultModel);
  });
  const frequent = createMemo(() => barCommands(source.commands()));
  return { commands, frequent };
}
