import { type Doc, getConflicts, isCounter } from "@automerge/automerge";
import type { CommandUse, RootDoc } from "./RootDoc.js";
import { COMMANDS_COUNTED } from "./slashCommands.js";

/** A slash command and how often the person used it. */
export interface CommandUseView {
  command: string;
  count: number;
  /** When it was last used (ms). */
  last: number;
}

/**
 * The person's slash commands, most used first (ties: the most recently used first), at most
 * {@link COMMANDS_COUNTED}.
 *
 * Two devices that used commands before they ever synced each made the `commands` map, or the same
 * command's entry, at once; Automerge keeps every such value as a conflict and plain reading shows
 * one. Each one's uses are real, so they are all added up here (later uses go to the value that
 * reads, and the others keep what they counted).
 */
export function commandUseOf(root: RootDoc): CommandUseView[] {
  const totals = new Map<string, CommandUseView>();
  for (const map of valuesAt<Record<string, CommandUse>>(root, "commands")) {
    if (map === null || typeof map !== "object") continue;
    for (const command of Object.keys(map)) {
      for (const entry of valuesAt<CommandUse>(map, command)) {
        if (entry === null || typeof entry !== "object") continue;
        const count = countOf(entry.count);
        const last = Math.max(0, ...valuesAt<unknown>(entry, "last").filter((v): v is number => typeof v === "number"));
        const seen = totals.get(command);
        totals.set(command, { command, count: (seen?.count ?? 0) + count, last: Math.max(seen?.last ?? 0, last) });
      }
    }
  }
  return [...totals.values()].sort(byUse).slice(0, COMMANDS_COUNTED);
}

/** Most used first, then the most recently used, then by text. */
export function byUse(a: CommandUseView, b: CommandUseView): number {
  return b.count - a.count || b.last - a.last || (a.command < b.command ? -1 : a.command > b.command ? 1 : 0);
}

function countOf(value: unknown): number {
  if (isCounter(value)) return value.value;
  return typeof value === "number" ? value : 0;
}

/** Every value a document keeps under `key` of `obj` (several when devices wrote it at once). */
function valuesAt<T>(obj: object, key: string): T[] {
  let conflicts: Record<string, unknown> | undefined;
  try {
    conflicts = getConflicts(obj as Doc<Record<string, unknown>>, key) as Record<string, unknown> | undefined;
  } catch {
    conflicts = undefined; // a plain object (not read from a document): its one value is all there is
  }
  if (conflicts !== undefined) return Object.values(conflicts) as T[];
  const value = (obj as Record<string, unknown>)[key];
  return value === undefined ? [] : [value as T];
}
