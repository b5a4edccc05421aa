import { beforeAll, describe, expect, it } from "vitest";
import { counting, cut, firstDifference, flipBit } from "../test/fixtures.js";
import { sodium } from "./ready.js";
import { BlobDecryptError, type BlobFailure } from "./Blob.js";
import { concatBytes } from "./bytes.js";
import { createBlobDecryptor } from "./createBlobDecryptor.js";
import { createBlobEncryptor, generateBlobKey } from "./createBlobEncryptor.js";
import { ready } from "./ready.js";
import { BLOB_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD_BYTES, BLOB_CIPHER_CHUNK_BYTES, BLOB_HEADER_BYTES } from "./sizes.js";

beforeAll(ready);

/** Odd piece sizes, none a divisor of the chunk size. */
const ODD_PIECES = [1, 7, 4093, 65_537, 100_003, 3, 131_071];

function encryptPieces(key: Uint8Array, pieces: readonly Uint8Array[], header?: Uint8Array): Uint8Array[] {
  const encryptor = createBlobEncryptor(key, header ? { dangerousTestOnlyNonce: header } : {});
  const out: Uint8Array[] = [];
  for (const piece of pieces) out.push(...encryptor.push(piece));
  out.push(...encryptor.final());
  return out;
}

function decryptPieces(key: Uint8Array, pieces: readonly Uint8Array[]): Uint8Array {
  const decryptor = createBlobDecryptor(key);
  const out: Uint8Array[] = [];
  for (const piece of pieces) out.push(...decryptor.push(piece));
  out.push(...decryptor.final());
  return concatBytes(...out);
}

/** The reason `body` throws, or undefined when it does not. */
function failure(body: () => unknown): BlobFailure | undefined {
  try {
    body();
    return undefined;
  } catch (error) {
    if (error instanceof BlobDecryptError) return error.reason;
    throw error;
  }
}

describe("streaming blob encryption", () => {
  it("[K7] a multi-megabyte blob fed in odd-sized pieces decrypts from differently cut pieces", () => {
    const key = generateBlobKey();
    const plaintext = counting(3 * 1024 * 1024 + 12_345, 11);
    const encrypted = concatBytes(...encryptPieces(key, cut(plaintext, ODD_PIECES)));
    const chunks = Math.floor(plaintext.length / BLOB_CHUNK_BYTES) + 1;
    expect(encrypted.length).toBe(BLOB_HEADER_BYTES + plaintext.length + chunks * BLOB_CHUNK_OVERHEAD_BYTES);
    expect(firstDifference(decryptPieces(key, cut(encrypted, [5, 99_999, 17, 65_553, 24])), plaintext)).toBe(-1);
    expect(firstDifference(decryptPieces(key, [encrypted]), plaintext)).toBe(-1);
  });

  it("[K7] the ciphertext does not depend on how the plaintext was cut", () => {
    const key = generateBlobKey();
    const header = counting(BLOB_HEADER_BYTES, 100);
    const plaintext = counting(200_000, 3);
    const whole = concatBytes(...encryptPieces(key, [plaintext], header));
    const oddly = concatBytes(...encryptPieces(key, cut(plaintext, ODD_PIECES), header));
    const bytewiseFirst = [...cut(plaintext.subarray(0, 10), [1]), plaintext.subarray(10)];
    expect(firstDifference(oddly, whole)).toBe(-1);
    expect(firstDifference(concatBytes(...encryptPieces(key, bytewiseFirst, header)), whole)).toBe(-1);
  });

  it("[K7] the header comes first, then full chunks as soon as they fill, then a FINAL chunk", () => {
    const encryptor = createBlobEncryptor(generateBlobKey());
    const first = encryptor.push(counting(10));
    expect(first).toEqual([encryptor.header]);
    const second = encryptor.push(counting(BLOB_CHUNK_BYTES));
    expect(second.map((c) => c.length)).toEqual([BLOB_CIPHER_CHUNK_BYTES]);
    expect(encryptor.final().map((c) => c.length)).toEqual([10 + BLOB_CHUNK_OVERHEAD_BYTES]);
    expect(() => encryptor.push(counting(1))).toThrow(/finished/);
  });

  it("[K7] an empty blob is a header and one empty FINAL chunk", () => {
    const key = generateBlobKey();
    const pieces = encryptPieces(key, []);
    expect(pieces.map((p) => p.length)).toEqual([BLOB_HEADER_BYTES, BLOB_CHUNK_OVERHEAD_BYTES]);
    expect(decryptPieces(key, pieces)).toEqual(new Uint8Array(0));
  });

  it("[K7] a blob of exactly one chunk ends with an empty FINAL chunk", () => {
    const key = generateBlobKey();
    const plaintext = counting(BLOB_CHUNK_BYTES);
    const pieces = encryptPieces(key, [plaintext]);
    expect(pieces.map((p) => p.length)).toEqual([BLOB_HEADER_BYTES, BLOB_CIPHER_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD_BYTES]);
    expect(firstDifference(decryptPieces(key, pieces), plaintext)).toBe(-1);
  });

  it("[K7] every blob gets a fresh header, and every key is fresh", () => {
    const key = generateBlobKey();
    expect(generateBlobKey()).not.toEqual(key);
    expect(key).toHaveLength(32);
    expect(createBlobEncryptor(key).header).not.toEqual(createBlobEncryptor(key).header);
  });
});

describe("streaming blob decryption fails clearly", () => {
  let key: Uint8Array;
  let encrypted: Uint8Array;
  const plaintext = counting(2 * BLOB_CHUNK_BYTES + 1000);
  beforeAll(() => {
    key = generateBlobKey();
    encrypted = concatBytes(...encryptPieces(key, [plaintext]));
  });
  const afterChunks = (n: number) => BLOB_HEADER_BYTES + n * BLOB_CIPHER_CHUNK_BYTES;

  it("[K7] a blob cut at a chunk boundary is truncated", () => {
    for (const n of [0, 1, 2]) {
      expect(
        failure(() => decryptPieces(key, [encrypted.subarray(0, afterChunks(n))])),
        `after ${n} chunks`,
      ).toBe("truncated");
    }
  });

  it("[K7] a blob shorter than its header, or empty, is truncated", () => {
    expect(failure(() => decryptPieces(key, [encrypted.subarray(0, 10)]))).toBe("truncated");
    expect(failure(() => decryptPieces(key, []))).toBe("truncated");
  });

  it("[K7] a blob cut inside a chunk fails authentication", () => {
    expect(failure(() => decryptPieces(key, [encrypted.subarray(0, encrypted.length - 1)]))).toBe("decrypt-failed");
    expect(failure(() => decryptPieces(key, [encrypted.subarray(0, afterChunks(1) + 100)]))).toBe("decrypt-failed");
    expect(failure(() => decryptPieces(key, [encrypted.subarray(0, afterChunks(1) + 5)]))).toBe("truncated");
  });

  it("[K7] a changed bit in the header, any chunk, or its tag fails authentication", () => {
    for (const index of [0, BLOB_HEADER_BYTES, afterChunks(1) + 500, afterChunks(2), encrypted.length - 1]) {
      expect(
        failure(() => decryptPieces(key, cut(flipBit(encrypted, index), [70_000]))),
        `byte ${index}`,
      ).toBe("decrypt-failed");
    }
  });

  it("[K7] swapped chunks, or another key, fail authentication", () => {
    const header = encrypted.subarray(0, BLOB_HEADER_BYTES);
    const first = encrypted.subarray(afterChunks(0), afterChunks(1));
    const second = encrypted.subarray(afterChunks(1), afterChunks(2));
    const rest = encrypted.subarray(afterChunks(2));
    expect(failure(() => decryptPieces(key, [header, second, first, rest]))).toBe("decrypt-failed");
    expect(failure(() => decryptPieces(generateBlobKey(), [encrypted]))).toBe("decrypt-failed");
  });

  it("[K7] bytes after a short FINAL chunk merge into it and fail authentication", () => {
    expect(failure(() => decryptPieces(key, [encrypted, new Uint8Array([0])]))).toBe("decrypt-failed");
    const small = concatBytes(...encryptPieces(key, [counting(5)]));
    expect(failure(() => decryptPieces(key, [concatBytes(small, small)]))).toBe("decrypt-failed");
  });

  it("[K7] a full-size FINAL chunk (another writer's choice) is accepted, and bytes after it are trailing-data", () => {
    // A writer that holds back the last full chunk to tag it FINAL, instead of adding an empty one.
    const s = sodium();
    const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
    const full = counting(BLOB_CHUNK_BYTES, 9);
    const lastChunk = s.crypto_secretstream_xchacha20poly1305_push(state, full, null, s.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    const blob = concatBytes(header, lastChunk);
    expect(firstDifference(decryptPieces(key, cut(blob, [1000])), full)).toBe(-1);
    expect(failure(() => decryptPieces(key, [blob, new Uint8Array([0])]))).toBe("trailing-data");
  });

  it("a failed decryptor yields no plaintext of the bad chunk and keeps failing", () => {
    const decryptor = createBlobDecryptor(key);
    const tampered = flipBit(encrypted, afterChunks(1) + 3);
    const good = decryptor.push(tampered.subarray(0, afterChunks(1)));
    expect(firstDifference(concatBytes(...good), plaintext.subarray(0, BLOB_CHUNK_BYTES))).toBe(-1);
    expect(failure(() => decryptor.push(tampered.subarray(afterChunks(1))))).toBe("decrypt-failed");
    expect(failure(() => decryptor.push(new Uint8Array(1)))).toBe("decrypt-failed");
    expect(failure(() => decryptor.final())).toBe("decrypt-failed");
  });

  it("the error says what went wrong in words", () => {
    const error = (() => {
      try {
        decryptPieces(key, [encrypted.subarray(0, afterChunks(1))]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BlobDecryptError);
    expect(String(error)).toMatch(/BlobDecryptError: .*truncated.*final chunk/);
  });
});
