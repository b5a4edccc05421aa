import { describe, expect, it } from "vitest";
import { IMAGE_DATA_URL_MAX_CHARS, safeImageUrl } from "./safeImageUrl.js";

describe("safeImageUrl", () => {
  it("keeps data:image/ URLs of known image types", () => {
    for (const url of [
      "data:image/png;base64,iVBORw0KGgo=",
      "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E",
      "data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E",
    ]) {
      expect(safeImageUrl(url), url).toBe(url);
    }
  });

  it("drops every other scheme (https: too: showing it would ask another server), odd characters and what is not a string", () => {
    for (const url of [
      "https://example.com/cat.png",
      "https://[2001:db8::1]/p.gif",
      "http://example.com/cat.png",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "blob:https://example.com/1",
      "/relative.png",
      "//example.com/cat.png",
      "https://user:pw@example.com/cat.png",
      "https://example.com@evil.test/cat.png",
      'https://example.com/"onerror="x',
      "https://example.com\\@evil.test/",
      "data:text/html,<script>alert(1)</script>",
      "data:image/png;base64,<script>",
      "data:image/x-icon;base64,AAAA",
      " https://example.com/cat.png",
      "",
    ]) {
      expect(safeImageUrl(url), url).toBeUndefined();
    }
    expect(safeImageUrl(42)).toBeUndefined();
    expect(safeImageUrl({ toString: () => "https://example.com/" })).toBeUndefined();
  });

  it("bounds the length of a picture carried in the message", () => {
    const head = "data:image/png;base64,";
    expect(safeImageUrl(head + "A".repeat(IMAGE_DATA_URL_MAX_CHARS - head.length))).toBeDefined();
    expect(safeImageUrl(head + "A".repeat(IMAGE_DATA_URL_MAX_CHARS - head.length + 1))).toBeUndefined();
  });
});
