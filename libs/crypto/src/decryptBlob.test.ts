import { beforeAll, describe, expect, it } from "vitest";
import { counting, cut, firstDifference, flipBit } from "../test/fixtures.js";
import { BlobDecryptError } from "./Blob.js";
import { concatBytes } from "./bytes.js";
import { generateBlobKey } from "./createBlobEncryptor.js";
import { decryptBlob } from "./decryptBlob.js";
import { decryptBlobStream } from "./decryptBlobStream.js";
import { encryptBlob } from "./encryptBlob.js";
import { encryptBlobStream } from "./encryptBlobStream.js";
import { ready } from "./ready.js";

beforeAll(ready);

/** An async source like a web ReadableStream or a Node stream: pieces arrive across ticks. */
async function* slowly(pieces: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    await Promise.resolve();
    yield piece;
  }
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for await (const piece of source) out.push(piece);
  return concatBytes(...out);
}

describe("whole-buffer blob helpers", () => {
  it("[K7] a small blob round-trips", () => {
    const key = generateBlobKey();
    const plaintext = counting(1234);
    expect(decryptBlob(key, encryptBlob(key, plaintext))).toEqual({ ok: true, plaintext });
  });

  it("[K7] truncated, tampered and extended blobs are result values", () => {
    const key = generateBlobKey();
    const encrypted = encryptBlob(key, counting(100));
    expect(decryptBlob(key, encrypted.subarray(0, 24))).toEqual({ ok: false, reason: "truncated" });
    expect(decryptBlob(key, flipBit(encrypted, 50))).toEqual({ ok: false, reason: "decrypt-failed" });
    expect(decryptBlob(key, concatBytes(encrypted, new Uint8Array(3)))).toEqual({ ok: false, reason: "decrypt-failed" });
  });
});

describe("async blob streams", () => {
  it("[K7] encrypt and decrypt streams round-trip a large blob from async sources, matching the buffer helper", async () => {
    const key = generateBlobKey();
    const header = counting(24, 50);
    const plaintext = counting(1_000_000, 1);
    const encrypted = await collect(encryptBlobStream(key, slowly(cut(plaintext, [33_333, 7])), { dangerousTestOnlyNonce: header }));
    expect(firstDifference(encrypted, encryptBlob(key, plaintext, { dangerousTestOnlyNonce: header }))).toBe(-1);
    expect(firstDifference(await collect(decryptBlobStream(key, slowly(cut(encrypted, [9_999])))), plaintext)).toBe(-1);
  });

  it("[K7] a decrypt stream of a truncated blob rejects with BlobDecryptError", async () => {
    const key = generateBlobKey();
    const encrypted = encryptBlob(key, counting(200_000));
    const cutShort = encrypted.subarray(0, 24 + 2 * (65_536 + 17));
    await expect(collect(decryptBlobStream(key, slowly([cutShort])))).rejects.toMatchObject({
      name: "BlobDecryptError",
      reason: "truncated",
    });
    await expect(collect(decryptBlobStream(key, [flipBit(encrypted, 99)]))).rejects.toBeInstanceOf(BlobDecryptError);
  });
});
