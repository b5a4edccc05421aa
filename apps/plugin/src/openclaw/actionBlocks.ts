import type { ActionBlockInput } from "@botschat/model";

/** The fence an OpenClaw agent writes action blocks in (see {@link ACTION_HINTS}). */
export const ACTION_FENCE = "```botschat-actions";

/**
 * What `agentPrompt.messageToolHints` tells every agent replying on BotsChat: how to offer
 * buttons, a confirmation, a select or an input field.
 */
export const ACTION_HINTS: readonly string[] = [
  "BotsChat can show buttons under your reply. To offer choices, end the reply with a fenced block " +
    "```botschat-actions holding a JSON array of blocks: " +
    '{"kind":"buttons","id":"b1","prompt":"…","options":[{"value":"yes","label":"Yes"}]}, ' +
    '{"kind":"confirm","id":"c1","prompt":"…"}, {"kind":"select","id":"s1","options":[…]} or ' +
    '{"kind":"input","id":"i1","prompt":"…"}. The person\'s choice comes back as their next message.',
];

/**
 * A reply's text without its action block, and the blocks it offered. Blocks that are not
 * well-formed are dropped; the text is never lost.
 */
export function splitActions(text: string): { text: string; actions: ActionBlockInput[] } {
  const at = text.indexOf(ACTION_FENCE);
  if (at < 0) return { text: text.trimEnd(), actions: [] };
  const body = text.slice(at + ACTION_FENCE.length);
  const end = body.indexOf("```");
  const json = end < 0 ? body : body.slice(0, end);
  return { text: text.slice(0, at).trimEnd(), actions: parseBlocks(json) };
}

/**
 * The part of a reply in progress that can be shown: up to an action fence, without a trailing
 * piece that may become one. Growing input gives growing output, so the stream stays cumulative.
 */
export function visibleText(text: string): string {
  const at = text.indexOf(ACTION_FENCE);
  let shown = at < 0 ? text : text.slice(0, at);
  for (let n = Math.min(ACTION_FENCE.length - 1, shown.length); n > 0; n--) {
    if (ACTION_FENCE.startsWith(shown.slice(shown.length - n))) {
      shown = shown.slice(0, shown.length - n);
      break;
    }
  }
  return shown.trimEnd();
}

function parseBlocks(json: string): ActionBlockInput[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return (Array.isArray(parsed) ? parsed : [parsed]).filter(isBlock);
  } catch {
    return [];
  }
}

function isBlock(b: unknown): b is ActionBlockInput {
  if (typeof b !== "object" || b === null) return false;
  const r = b as Record<string, unknown>;
  if (typeof r["id"] !== "string") return false;
  if (r["kind"] === "buttons" || r["kind"] === "select") {
    return (
      Array.isArray(r["options"]) &&
      r["options"].every(
        (o: unknown) =>
          typeof o === "object" &&
          o !== null &&
          typeof (o as Record<string, unknown>)["value"] === "string" &&
          typeof (o as Record<string, unknown>)["label"] === "string",
      )
    );
  }
  if (r["kind"] === "confirm") return typeof r["prompt"] === "string";
  return r["kind"] === "input";
}
