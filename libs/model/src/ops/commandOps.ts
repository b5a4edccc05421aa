import { Counter, isCounter } from "@automerge/automerge";
import { commandUseOf } from "../docs/commandUse.js";
import type { DocStore } from "../docs/DocStore.js";
import { COMMANDS_COUNTED, commandOf } from "../docs/slashCommands.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import { openRoot } from "./openDoc.js";

/**
 * Counts one use of a slash command (`/model demo/fast`) in the workspace root, for the command
 * bar on every device of the person. Uses on two devices at once add up (the count is a counter).
 * Beyond {@link COMMANDS_COUNTED} commands, the least used (then the longest unused) is forgotten.
 * Answers false, writing nothing, for a text that is not a command (`commandOf`).
 *
 * @example
 * await noteCommandUse(store, me, { command: "/help" });
 */
export async function noteCommandUse(store: DocStore, actor: DeviceActor, input: { command: string }): Promise<boolean> {
  const command = commandOf(input.command);
  if (command === undefined) return false;
  const root = await openRoot(store);
  const now = nowOf(actor);
  const uses = new Map(commandUseOf(root.doc()).map((u) => [u.command, u]));
  root.change((r) => {
    r.commands ??= {};
    const entry = r.commands[command];
    if (entry === undefined) {
      r.commands[command] = { count: new Counter(1), last: now };
    } else {
      if (isCounter(entry.count)) entry.count.increment(1);
      else entry.count = new Counter((uses.get(command)?.count ?? 0) + 1);
      // Written even when not later: it settles a time two devices wrote at once.
      entry.last = Math.max(now, uses.get(command)?.last ?? 0);
    }
    const kept = Object.keys(r.commands);
    if (kept.length <= COMMANDS_COUNTED) return;
    const rank = (c: string): [number, number] => (c === command ? [Infinity, Infinity] : [uses.get(c)?.count ?? 0, uses.get(c)?.last ?? 0]);
    const leastFirst = kept.sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1] || (a < b ? -1 : 1));
    for (const c of leastFirst.slice(0, kept.length - COMMANDS_COUNTED)) delete r.commands[c];
  });
  return true;
}
