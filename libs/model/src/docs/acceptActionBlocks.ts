import type { ActionBlockInput } from "./ActionBlockInput.js";
import { actionBlockText } from "./actionBlockText.js";
import { ACTION_LIMITS, validActionBlock } from "./validActionBlock.js";

/** Everything the blocks of one message may hold, as JSON: a message is one document change. */
export const MESSAGE_BLOCKS_MAX_CHARS = 256 * 1024;

/** The blocks a message keeps, and the text of those it shows as text instead. */
export interface AcceptedBlocks {
  actions: ActionBlockInput[];
  /** The fallback text of the blocks that were not kept ({@link actionBlockText}), "" if none. */
  text: string;
}

/**
 * Sorts what an agent offered into blocks a message keeps — valid ({@link validActionBlock}),
 * their ids distinct, at most {@link ACTION_LIMITS.blocks}, within {@link MESSAGE_BLOCKS_MAX_CHARS}
 * together — and the rest, which becomes plain text. A bad block never breaks the message.
 */
export function acceptActionBlocks(raw: readonly unknown[]): AcceptedBlocks {
  const actions: ActionBlockInput[] = [];
  const fallback: string[] = [];
  const ids = new Set<string>();
  let size = 0;
  for (const item of raw) {
    const block = validActionBlock(item);
    const chars = block === undefined ? 0 : JSON.stringify(block).length;
    if (block === undefined || ids.has(block.id) || actions.length >= ACTION_LIMITS.blocks || size + chars > MESSAGE_BLOCKS_MAX_CHARS) {
      const text = actionBlockText(item);
      if (text !== "") fallback.push(text);
      continue;
    }
    ids.add(block.id);
    size += chars;
    actions.push(block);
  }
  return { actions, text: fallback.join("\n\n") };
}
