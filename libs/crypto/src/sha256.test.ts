import { parseBlobHash } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { counting, cut, toHex } from "../test/fixtures.js";
import { ready } from "./ready.js";
import { blobHashOf, createSha256, sha256, toBlobHash } from "./sha256.js";

beforeAll(ready);

describe("sha256", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    expect(toHex(sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashing in pieces gives the one-shot digest", () => {
    const bytes = counting(300_001, 5);
    const hasher = createSha256();
    for (const piece of cut(bytes, [1, 63, 64, 65, 10_000])) hasher.update(piece);
    expect(hasher.digest()).toEqual(sha256(bytes));
    expect(() => hasher.update(bytes)).toThrow(/finished/);
  });

  it("a blob's name is the lowercase hex SHA-256 of its ciphertext, as the relay checks it", () => {
    const hash = blobHashOf(new TextEncoder().encode("abc"));
    expect(hash).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(parseBlobHash(hash)).toBe(hash);
    expect(toBlobHash(sha256(counting(9)))).toBe(blobHashOf(counting(9)));
    expect(() => toBlobHash(new Uint8Array(31))).toThrow(RangeError);
  });
});
