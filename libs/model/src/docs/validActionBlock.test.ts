import { describe, expect, it } from "vitest";
import { ACTION_LIMITS, validActionBlock } from "./validActionBlock.js";

const radio = {
  kind: "radio",
  id: "size",
  prompt: "Which size?",
  options: [
    { value: "s", label: "Small", description: "Fits one" },
    { value: "l", label: "Large" },
  ],
};
const cards = {
  kind: "cards",
  id: "plan",
  prompt: "Pick a plan",
  cards: [
    { value: "basic", title: "Basic", description: "For one person", image: "data:image/png;base64,iVBORw0KGgo=", imageAlt: "A single chair" },
    { value: "team", title: "Team" },
  ],
};
const form = {
  kind: "form",
  id: "project",
  prompt: "New project",
  fields: [
    { type: "text", name: "name", label: "Name", required: true, maxLength: 40, placeholder: "Apollo" },
    { type: "number", name: "size", label: "Team size", min: 1, max: 50, step: 1 },
    { type: "select", name: "region", label: "Region", options: [{ value: "eu", label: "Europe" }] },
    { type: "checkbox", name: "public", label: "Public" },
  ],
  submitLabel: "Create",
};
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("validActionBlock", () => {
  it("keeps a radio group, cards and a form that are well-formed, as clean copies", () => {
    expect(validActionBlock(radio)).toEqual(radio);
    expect(validActionBlock(cards)).toEqual(cards);
    expect(validActionBlock({ ...cards, multiple: true, submitLabel: "Choose" })).toEqual({ ...cards, multiple: true, submitLabel: "Choose" });
    expect(validActionBlock(form)).toEqual(form);
  });

  it("keeps the kinds there were before: buttons, confirm, select and input", () => {
    const buttons = { kind: "buttons", id: "b", options: [{ value: "y", label: "Yes", style: "primary" }] };
    expect(validActionBlock(buttons)).toEqual(buttons);
    expect(validActionBlock({ kind: "confirm", id: "c", prompt: "Sure?" })).toEqual({ kind: "confirm", id: "c", prompt: "Sure?" });
    expect(validActionBlock({ kind: "select", id: "s", options: [{ value: "a", label: "A" }], placeholder: "Pick" })).toBeDefined();
    expect(validActionBlock({ kind: "input", id: "i" })).toEqual({ kind: "input", id: "i" });
  });

  it("drops what a kind does not know, trims words, drops an unknown style and an image that is not safe", () => {
    const b = validActionBlock({
      ...copy(cards),
      onclick: "alert(1)",
      prompt: "  Pick a plan  ",
      cards: [{ value: "basic", title: " Basic ", html: "<b>x</b>", image: "javascript:alert(1)", imageAlt: "x" }],
    });
    expect(b).toEqual({ kind: "cards", id: "plan", prompt: "Pick a plan", cards: [{ value: "basic", title: "Basic" }] });
    expect(validActionBlock({ kind: "buttons", id: "b", options: [{ value: "y", label: "Yes", style: "url(x)" }] })).toEqual({
      kind: "buttons",
      id: "b",
      options: [{ value: "y", label: "Yes" }],
    });
  });

  it("refuses an unknown kind, a missing or empty id, and what is not an object", () => {
    for (const raw of [null, "radio", [radio], 3, { ...radio, kind: "carousel" }, { ...radio, id: "" }, { ...radio, id: 7 }, { ...radio, kind: undefined }]) {
      expect(validActionBlock(raw), JSON.stringify(raw)).toBeUndefined();
    }
  });

  it("refuses a radio group without options, with an option twice, or an option without a label", () => {
    expect(validActionBlock({ ...radio, options: [] })).toBeUndefined();
    expect(validActionBlock({ ...radio, options: [radio.options[0], radio.options[0]] })).toBeUndefined();
    expect(validActionBlock({ ...radio, options: [{ value: "s", label: "  " }] })).toBeUndefined();
    expect(validActionBlock({ ...radio, options: [{ value: "s" }] })).toBeUndefined();
  });

  it("refuses cards without a title or value, a card value twice, and a non-boolean multiple", () => {
    expect(validActionBlock({ ...cards, cards: [{ value: "x" }] })).toBeUndefined();
    expect(validActionBlock({ ...cards, cards: [{ title: "X" }] })).toBeUndefined();
    expect(validActionBlock({ ...cards, cards: [cards.cards[1], cards.cards[1]] })).toBeUndefined();
    expect(validActionBlock({ ...cards, multiple: "yes" })).toBeUndefined();
  });

  it("refuses a form with an unknown field type, a bad or repeated name, inverted bounds or a select without options", () => {
    const withField = (f: object) => ({ ...form, fields: [f] });
    expect(validActionBlock(withField({ type: "color", name: "c", label: "Colour" }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "text", name: "has space", label: "X" }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "text", name: "__proto__x", label: "X" }))).toBeDefined();
    for (const name of ["__proto__", "constructor", "prototype"]) expect(validActionBlock(withField({ type: "text", name, label: "X" }))).toBeUndefined();
    expect(validActionBlock({ ...form, fields: [form.fields[0], form.fields[0]] })).toBeUndefined();
    expect(validActionBlock(withField({ type: "number", name: "n", label: "N", min: 5, max: 1 }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "number", name: "n", label: "N", step: 0 }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "number", name: "n", label: "N", min: "1" }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "number", name: "n", label: "N", max: Number.POSITIVE_INFINITY }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "text", name: "t", label: "T", maxLength: ACTION_LIMITS.textChars + 1 }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "select", name: "s", label: "S", options: [] }))).toBeUndefined();
    expect(validActionBlock(withField({ type: "checkbox", name: "c", label: "C", required: "true" }))).toBeUndefined();
    expect(validActionBlock({ ...form, fields: [] })).toBeUndefined();
  });

  it("refuses a block over any bound: too many options, cards or fields, words too long, too large as a whole", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `L${i}`, title: `T${i}` }));
    expect(validActionBlock({ ...radio, options: many(ACTION_LIMITS.options) })).toBeDefined();
    expect(validActionBlock({ ...radio, options: many(ACTION_LIMITS.options + 1) })).toBeUndefined();
    expect(validActionBlock({ ...cards, cards: many(ACTION_LIMITS.cards + 1) })).toBeUndefined();
    const fields = Array.from({ length: ACTION_LIMITS.fields + 1 }, (_, i) => ({ type: "checkbox", name: `f${i}`, label: `F${i}` }));
    expect(validActionBlock({ ...form, fields })).toBeUndefined();
    expect(validActionBlock({ ...radio, prompt: "x".repeat(ACTION_LIMITS.promptChars + 1) })).toBeUndefined();
    expect(validActionBlock({ ...radio, id: "x".repeat(ACTION_LIMITS.idChars + 1) })).toBeUndefined();
    expect(validActionBlock({ ...radio, submitLabel: "x".repeat(ACTION_LIMITS.buttonChars + 1) })).toBeUndefined();
    // Twelve cards, each with an image as large as one may be, are too much for one block.
    const image = `data:image/png;base64,${"A".repeat(32 * 1024 - 22)}`;
    const heavy = Array.from({ length: ACTION_LIMITS.cards }, (_, i) => ({ value: `v${i}`, title: `T${i}`, image }));
    expect(validActionBlock({ ...cards, cards: heavy.slice(0, 2) })).toBeDefined();
    expect(validActionBlock({ ...cards, cards: heavy })).toBeUndefined();
  });
});
