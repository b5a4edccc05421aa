import { describe, expect, it } from "vitest";
import { acceptActionBlocks, MESSAGE_BLOCKS_MAX_CHARS } from "./acceptActionBlocks.js";
import { actionBlockText } from "./actionBlockText.js";
import { ACTION_LIMITS } from "./validActionBlock.js";

const radio = (id: string) => ({ kind: "radio", id, prompt: `Pick ${id}`, options: [{ value: "a", label: "A" }] });

describe("acceptActionBlocks", () => {
  it("keeps valid blocks and turns the others into text, in the order offered", () => {
    const broken = { kind: "form", id: "f", prompt: "Your favourite colour", fields: [{ type: "color", name: "c", label: "Colour" }] };
    const r = acceptActionBlocks([radio("one"), broken, { kind: "nope", prompt: "Anything else?" }, radio("two")]);
    expect(r.actions.map((b) => b.id)).toEqual(["one", "two"]);
    expect(r.text).toBe("Your favourite colour\n- Colour\n\nAnything else?");
  });

  it("shows a block whose id is taken, or one past the limit, as text", () => {
    const r = acceptActionBlocks([radio("x"), radio("x")]);
    expect(r.actions).toHaveLength(1);
    expect(r.text).toBe("Pick x\n- A");
    const many = acceptActionBlocks(Array.from({ length: ACTION_LIMITS.blocks + 1 }, (_, i) => radio(`b${i}`)));
    expect(many.actions).toHaveLength(ACTION_LIMITS.blocks);
    expect(many.text).toBe(`Pick b${ACTION_LIMITS.blocks}\n- A`);
  });

  it("keeps the blocks of a message within a size together", () => {
    const image = `data:image/png;base64,${"A".repeat(30_000)}`;
    const heavy = (id: string) => ({ kind: "cards", id, cards: [1, 2, 3].map((n) => ({ value: `v${n}`, title: `Card ${n}`, image })) });
    const r = acceptActionBlocks(Array.from({ length: 4 }, (_, i) => heavy(`c${i}`)));
    expect(JSON.stringify(r.actions).length).toBeLessThanOrEqual(MESSAGE_BLOCKS_MAX_CHARS);
    expect(r.actions.length).toBeLessThan(4);
    expect(r.text).toContain("- Card 1");
  });

  it("has nothing to say about nothing", () => {
    expect(acceptActionBlocks([])).toEqual({ actions: [], text: "" });
    expect(acceptActionBlocks([null, 3, "x", { kind: "radio" }])).toEqual({ actions: [], text: "" });
  });
});

describe("actionBlockText", () => {
  it("lists a block's prompt and its options', cards' or fields' words, one line each", () => {
    expect(
      actionBlockText({
        kind: "cards",
        prompt: "Pick\na plan",
        cards: [{ title: "Basic", description: "For one" }, { value: "team" }, { image: "x" }, "junk"],
      }),
    ).toBe("Pick a plan\n- Basic — For one\n- team");
  });

  it("bounds what it writes", () => {
    const text = actionBlockText({ prompt: "p".repeat(10_000), options: Array.from({ length: 500 }, (_, i) => ({ label: `${i}`.repeat(400) })) });
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(text.split("\n")[0]!.length).toBeLessThanOrEqual(ACTION_LIMITS.promptChars);
  });
});
