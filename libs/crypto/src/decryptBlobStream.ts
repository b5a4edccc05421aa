import { createBlobDecryptor } from "./createBlobDecryptor.js";

/**
 * Decrypts a blob from any (async) iterable of ciphertext pieces cut anywhere, yielding only
 * authenticated plaintext ([K7]). Throws `BlobDecryptError` when the source is truncated,
 * tampered with, or has trailing bytes; a consumer must treat what it already received as
 * unusable in that case (the file as a whole is not authentic).
 */
export async function* decryptBlobStream(
  key: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const decryptor = createBlobDecryptor(key);
  for await (const piece of source) yield* decryptor.push(piece);
  yield* decryptor.final();
}
