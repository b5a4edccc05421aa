import { beforeAll, describe, expect, it } from "vitest";
import { fromBase64url, toBase64url } from "./base64url.js";
import { ready } from "./ready.js";

beforeAll(ready);

describe("base64url", () => {
  it("encodes with the URL-safe alphabet and no padding (RFC 4648 section 5)", () => {
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(toBase64url(new Uint8Array([]))).toBe("");
  });

  it("round-trips every length", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(fromBase64url(toBase64url(bytes))).toEqual(bytes);
    }
  });

  it("accepts padded input", () => {
    expect(fromBase64url("-_8=")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(fromBase64url("AA==")).toEqual(new Uint8Array([0]));
  });

  it("refuses standard base64 characters, whitespace, impossible lengths and bad padding", () => {
    for (const bad of ["+/8", "-_8 ", "A", "AAAAA", "AA=", "A===", "AB==", "-_8=="]) {
      expect(fromBase64url(bad), bad).toBeUndefined();
    }
  });
});
