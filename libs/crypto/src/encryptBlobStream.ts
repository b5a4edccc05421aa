import { createBlobEncryptor } from "./createBlobEncryptor.js";
import type { TestOnlyNonceOption } from "./randomOrTestNonce.js";

/**
 * Encrypts a blob from any (async) iterable of plaintext pieces, e.g. a web `ReadableStream`
 * or a Node file stream, yielding the encrypted file piece by piece ([K7]). Memory stays at
 * about one chunk whatever the file size.
 */
export async function* encryptBlobStream(
  key: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: TestOnlyNonceOption = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const encryptor = createBlobEncryptor(key, options);
  for await (const piece of source) yield* encryptor.push(piece);
  yield* encryptor.final();
}
