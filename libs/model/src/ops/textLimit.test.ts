import { describe, expect, it } from "vitest";
import { OpError } from "./OpError.js";
import { checkTextSize, fitText, TEXT_MAX_BYTES, utf8Bytes } from "./textLimit.js";

describe("text limits", () => {
  it("a person's text up to the limit passes; one byte over is refused with its size and what to do", () => {
    expect(() => checkTextSize("a".repeat(TEXT_MAX_BYTES), "This message")).not.toThrow();
    expect(() => checkTextSize("a".repeat(TEXT_MAX_BYTES + 1), "This message")).toThrow(OpError);
    expect(() => checkTextSize("é".repeat(700_000), "This message")).toThrow("This message is 1.3 MB; it may be at most 1.0 MB. Attach it as a file instead.");
  });

  it("an agent's long text is cut at a character boundary under the limit, with a line saying so", () => {
    const text = "日本語".repeat(200_000); // 1.8 MB of 3-byte characters
    const fitted = fitText(text);
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
    expect(/^(日本語)+日?本?\n\n\[Cut here[^\n]*$/.test(fitted)).toBe(true);
    expect(fitted.includes("\uFFFD")).toBe(false);
    expect(fitText("short")).toBe("short");
    const exact = "a".repeat(TEXT_MAX_BYTES);
    expect(fitText(exact) === exact).toBe(true);
  });
});
