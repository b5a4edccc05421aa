import { ACTION_LIMITS, acceptActionBlocks, type ActionBlockInput } from "@botschat/model";

/** The fence an OpenClaw agent writes action blocks in (see {@link ACTION_HINTS}). */
export const ACTION_FENCE = "```botschat-actions";

/**
 * What `agentPrompt.messageToolHints` tells every agent replying on BotsChat: how to offer
 * buttons, a confirmation, a select, an input field, a radio group, cards or a form, and what
 * comes back.
 */
export const ACTION_HINTS: readonly string[] = [
  "BotsChat can show interactive blocks under your reply. To offer them, end the reply with a fenced block " +
    '```botschat-actions holding a JSON array of blocks, each with a unique "id": ' +
    '{"kind":"buttons","id":"b1","prompt":"…","options":[{"value":"yes","label":"Yes"}]}, ' +
    '{"kind":"confirm","id":"c1","prompt":"…"}, {"kind":"select","id":"s1","options":[…]}, ' +
    '{"kind":"input","id":"i1","prompt":"…"}, ' +
    '{"kind":"radio","id":"r1","prompt":"…","options":[{"value":"s","label":"Small","description":"…"}]}, ' +
    '{"kind":"cards","id":"k1","prompt":"…","cards":[{"value":"a","title":"…","description":"…","image":"data:image/png;base64,…","imageAlt":"…"}],"multiple":false} or ' +
    '{"kind":"form","id":"f1","prompt":"…","fields":[{"type":"text","name":"title","label":"Title","required":true}, ' +
    '{"type":"number","name":"count","label":"Count","min":1,"max":10}, {"type":"select","name":"size","label":"Size","options":[…]}, ' +
    '{"type":"checkbox","name":"urgent","label":"Urgent"}]}. ' +
    `Up to ${ACTION_LIMITS.options} options, ${ACTION_LIMITS.cards} cards or ${ACTION_LIMITS.fields} fields per block; labels and titles up to ${ACTION_LIMITS.labelChars} characters; ` +
    "images only as small data:image/ URLs (png, jpeg, gif, webp, avif or svg; no links to other servers). A block that does not fit this shape is shown as plain text. " +
    "The person answers one block once; the answer comes back as their next message: an option's or card's value, " +
    "for several cards a JSON array of values, for a form a JSON object of the fields' values by name.",
];

/**
 * A reply's text without its action block, and the blocks it offered. Blocks that are not
 * well-formed (`acceptActionBlocks`) go back into the text as plain text, and JSON that cannot
 * be read stays as it was written, in a code block: the text is never lost.
 */
export function splitActions(text: string): { text: string; actions: ActionBlockInput[] } {
  const at = text.indexOf(ACTION_FENCE);
  if (at < 0) return { text: text.trimEnd(), actions: [] };
  const body = text.slice(at + ACTION_FENCE.length);
  const end = body.indexOf("```");
  const json = end < 0 ? body : body.slice(0, end);
  const before = text.slice(0, at).trimEnd();
  const parsed = parseJson(json);
  const { actions, text: fallback } =
    parsed === undefined
      ? { actions: [], text: json.trim() === "" ? "" : `\`\`\`\n${json.trim()}\n\`\`\`` }
      : acceptActionBlocks(Array.isArray(parsed) ? parsed : [parsed]);
  return { text: [before, fallback].filter((t) => t !== "").join("\n\n"), actions };
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

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
