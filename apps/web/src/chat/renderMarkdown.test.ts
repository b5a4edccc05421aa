// @vitest-environment jsdom
// DOMPurify needs a faithful DOM: happy-dom lets javascript: links and nested tables through it.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./renderMarkdown.js";

function dom(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

describe("renderMarkdown", () => {
  it("shows raw HTML in a message as text, never as elements", () => {
    const out = dom(renderMarkdown('Hi <img src=x onerror="alert(1)"> <script>alert(2)</script> <b>bold</b>'));
    expect(out.querySelector("img, script, b")).toBeNull();
    expect(out.textContent).toContain("<b>bold</b>");
  });

  it("drops javascript: links and opens others in a new tab without the opener", () => {
    const out = dom(renderMarkdown("[bad](javascript:alert(1)) and [good](https://example.com)"));
    const links = [...out.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).not.toContain("javascript:alert(1)");
    const good = links.find((a) => a.getAttribute("href") === "https://example.com");
    expect(good?.getAttribute("target")).toBe("_blank");
    expect(good?.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("highlights fenced code of a known language and gives it a Copy code button", () => {
    const out = dom(renderMarkdown("```ts\nconst x: number = 1;\n```"));
    expect(out.querySelector("pre code.language-ts")?.textContent).toBe("const x: number = 1;");
    expect(out.querySelector(".hljs-keyword")?.textContent).toBe("const");
    expect(out.querySelector("button[aria-label='Copy code']")).not.toBeNull();
  });

  it("escapes code of an unknown language instead of interpreting it", () => {
    const out = dom(renderMarkdown("```weird\n<b>x</b>\n```"));
    expect(out.querySelector("pre code b")).toBeNull();
    expect(out.querySelector("pre code")?.textContent).toBe("<b>x</b>");
  });

  it("renders GFM tables", () => {
    const out = dom(renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |"));
    expect([...out.querySelectorAll("th")].map((t) => t.textContent)).toEqual(["a", "b"]);
    expect([...out.querySelectorAll("td")].map((t) => t.textContent)).toEqual(["1", "2"]);
  });

  it("renders plain text as itself, line breaks kept, without parsing it", () => {
    expect(renderMarkdown("hello there\nsecond line")).toBe("<p>hello there<br>second line</p>");
    expect(renderMarkdown("1 < 2")).not.toContain("<2");
  });

  it("still turns bare links and setext headings into markup", () => {
    expect(dom(renderMarkdown("see https://example.com")).querySelector("a")?.getAttribute("href")).toBe("https://example.com");
    expect(dom(renderMarkdown("Title\n---")).querySelector("h2")?.textContent).toBe("Title");
  });
});
