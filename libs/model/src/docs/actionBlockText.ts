import { ACTION_LIMITS } from "./validActionBlock.js";

/** The most characters of fallback text one block may add to a message. */
const FALLBACK_MAX_CHARS = 4000;

/**
 * What a block that is not valid shows instead: its prompt and its options', cards' or fields'
 * words as a plain list, so the person still reads what the agent offered. Empty when the
 * block holds nothing readable. Never more than a few thousand characters.
 *
 * @example
 * actionBlockText({ kind: "radio", prompt: "Size?", options: [{ label: "Small" }, { label: "Large" }] });
 * // "Size?\n- Small\n- Large"
 */
export function actionBlockText(raw: unknown): string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "";
  const r = raw as Record<string, unknown>;
  const lines: string[] = [];
  const prompt = words(r["prompt"]);
  if (prompt !== undefined) lines.push(prompt);
  for (const key of ["options", "cards", "fields"]) {
    const items = r[key];
    if (!Array.isArray(items)) continue;
    for (const item of items.slice(0, ACTION_LIMITS.cards + ACTION_LIMITS.options)) {
      if (typeof item !== "object" || item === null) continue;
      const o = item as Record<string, unknown>;
      const name = words(o["label"]) ?? words(o["title"]) ?? words(o["value"]) ?? words(o["name"]);
      if (name === undefined) continue;
      const about = words(o["description"]);
      lines.push(`- ${name}${about === undefined ? "" : ` — ${about}`}`);
    }
  }
  const text = lines.join("\n");
  return text.length <= FALLBACK_MAX_CHARS ? text : `${text.slice(0, FALLBACK_MAX_CHARS - 1)}…`;
}

/** A string as one line, cut to a sensible length; undefined for anything else or blank. */
function words(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const line = v.replace(/\s+/g, " ").trim();
  if (line === "") return undefined;
  return line.length <= ACTION_LIMITS.promptChars ? line : `${line.slice(0, ACTION_LIMITS.promptChars - 1)}…`;
}
