import type { ActionBlockInput } from "../docs/ActionBlockInput.js";
import { imm } from "../docs/Imm.js";
import type { ActionBlock } from "../docs/MessageRecord.js";

/**
 * A valid block (`validActionBlock`) as a message stores it: every string write-once (`Imm`),
 * numbers and flags as they are, nothing undefined.
 */
export function storedActionBlock(block: ActionBlockInput): ActionBlock {
  return stored(block) as ActionBlock;
}

function stored(v: unknown): unknown {
  if (typeof v === "string") return imm(v);
  if (Array.isArray(v)) return v.map(stored);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === undefined ? [] : [[k, stored(x)]])));
  }
  return v;
}
