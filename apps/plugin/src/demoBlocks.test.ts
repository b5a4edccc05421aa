import { acceptActionBlocks, safeImageUrl, validActionBlock } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { DEMO_BROKEN_BLOCK, DEMO_FORM, DEMO_RADIO, demoCards } from "./demoBlocks.js";

describe("the demo agent's blocks", () => {
  it("offers a radio group, cards (one or several) and a form that are valid as written", () => {
    for (const block of [DEMO_RADIO, demoCards(false), demoCards(true), DEMO_FORM]) expect(validActionBlock(block), block.id).toEqual(block);
  });

  it("pictures its cards with small data:image/ URLs, each with words for who cannot see it", () => {
    for (const block of [demoCards(false), demoCards(true)]) {
      if (block.kind !== "cards") throw new Error("not cards");
      for (const card of block.cards) {
        expect(safeImageUrl(card.image)).toBe(card.image);
        expect(card.imageAlt).toBeTruthy();
      }
    }
  });

  it("offers one block that is not valid, which a message shows as text", () => {
    expect(validActionBlock(DEMO_BROKEN_BLOCK)).toBeUndefined();
    expect(acceptActionBlocks([DEMO_BROKEN_BLOCK])).toEqual({ actions: [], text: "Pick a colour for the theme\n- Theme colour" });
  });
});
