import { render } from "@solidjs/testing-library";
import { describe, expect, it } from "vitest";
import { Markdown } from "./Markdown.js";

const shown = (text: string, streaming: boolean): HTMLElement => render(() => <Markdown text={text} streaming={streaming} />).container.querySelector(".md")!;

describe("Markdown while a reply streams", () => {
  it("shows no raw marker a half-written word has opened: emphasis, bold and code are closed for display", () => {
    for (const [text, tag, inner] of [
      ["Hello _wor", "em", "wor"],
      ["Hello **bol", "strong", "bol"],
      ["call `fet", "code", "fet"],
    ] as const) {
      const md = shown(text, true);
      expect(md.querySelector(tag)?.textContent).toBe(inner);
      expect(md.textContent).not.toMatch(/[_*`]/);
    }
  });

  it("shows a half-written link as its text, without a link to a half address", () => {
    const md = shown("read [the guide](https://exa", true);
    expect(md.textContent?.trim()).toBe("read the guide");
    expect(md.querySelector("a")).toBeNull();
  });

  it("renders a finished reply as written: an unclosed marker there is the author's", () => {
    expect(shown("Hello _wor", false).textContent?.trim()).toBe("Hello _wor");
  });
});
