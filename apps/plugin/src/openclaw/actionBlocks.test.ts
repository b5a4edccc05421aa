import { describe, expect, it } from "vitest";
import { ACTION_FENCE, ACTION_HINTS, splitActions, visibleText } from "./actionBlocks.js";

const fenced = (blocks: unknown) => `Here are your choices.\n\n${ACTION_FENCE}\n${JSON.stringify(blocks)}\n\`\`\``;

const radio = { kind: "radio", id: "size", prompt: "Which size?", options: [{ value: "s", label: "Small", description: "Fits one" }] };
const cards = {
  kind: "cards",
  id: "plan",
  multiple: true,
  cards: [
    { value: "basic", title: "Basic", image: "data:image/png;base64,iVBORw0KGgo=", imageAlt: "A chair" },
    { value: "team", title: "Team" },
  ],
};
const form = {
  kind: "form",
  id: "ticket",
  fields: [
    { type: "text", name: "title", label: "Title", required: true },
    { type: "number", name: "count", label: "Count", min: 1 },
    { type: "select", name: "size", label: "Size", options: [{ value: "s", label: "Small" }] },
    { type: "checkbox", name: "urgent", label: "Urgent" },
  ],
};

describe("splitActions", () => {
  it("parses a radio group, cards and a form out of the reply, leaving the words", () => {
    expect(splitActions(fenced([radio, cards, form]))).toEqual({ text: "Here are your choices.", actions: [radio, cards, form] });
  });

  it("takes a single block not in an array", () => {
    expect(splitActions(fenced(radio)).actions).toEqual([radio]);
  });

  it("keeps the words of a block that is not valid as plain text, and the valid blocks beside it", () => {
    const broken = { kind: "cards", id: "bad", prompt: "Pick a plan", cards: [{ title: "Gold", image: "javascript:alert(1)" }] };
    const r = splitActions(fenced([broken, radio]));
    expect(r.actions).toEqual([radio]);
    expect(r.text).toBe("Here are your choices.\n\nPick a plan\n- Gold");
  });

  it("drops an image that is not a small data:image/ URL (a link to another server too), keeping its card", () => {
    for (const image of ["http://tracker.test/p.gif", "https://tracker.test/p.gif"]) {
      const r = splitActions(fenced([{ ...cards, cards: [{ value: "x", title: "X", image, imageAlt: "pixel" }] }]));
      expect(r.actions).toEqual([{ ...cards, cards: [{ value: "x", title: "X" }] }]);
    }
  });

  it("shows JSON that cannot be read as it was written, in a code block", () => {
    const r = splitActions(`Choose.\n\n${ACTION_FENCE}\n[{"kind":"radio",\n\`\`\``);
    expect(r).toEqual({ text: 'Choose.\n\n```\n[{"kind":"radio",\n```', actions: [] });
  });

  it("leaves a reply without a fence alone", () => {
    expect(splitActions("Just words.  \n")).toEqual({ text: "Just words.", actions: [] });
  });
});

describe("what the agent is told", () => {
  it("describes every kind of block, the limits and what comes back", () => {
    const hints = ACTION_HINTS.join("\n");
    expect(hints).toContain(ACTION_FENCE);
    for (const kind of ["buttons", "confirm", "select", "input", "radio", "cards", "form"]) expect(hints).toContain(`"kind":"${kind}"`);
    for (const type of ["text", "number", "select", "checkbox"]) expect(hints).toContain(`"type":"${type}"`);
    expect(hints).toMatch(/images only as small data:image\/ URLs/);
    expect(hints).toMatch(/for a form a JSON object/);
  });
});

describe("visibleText", () => {
  it("stops at the fence, and at a piece that may become one", () => {
    expect(visibleText(fenced([radio]))).toBe("Here are your choices.");
    expect(visibleText("Here.\n\n```botsch")).toBe("Here.");
  });
});
