import { concatBytes } from "./bytes.js";
import { createBlobEncryptor } from "./createBlobEncryptor.js";
import type { TestOnlyNonceOption } from "./randomOrTestNonce.js";

/**
 * Encrypts a small blob held in memory ([K7]); the same bytes as the streaming encryptor.
 * Upload the result under `blobHashOf(ciphertext)`.
 *
 * @example
 * const key = generateBlobKey();
 * const ciphertext = encryptBlob(key, imageBytes);
 * await api.putBlob(blobHashOf(ciphertext), ciphertext);
 */
export function encryptBlob(key: Uint8Array, plaintext: Uint8Array, options: TestOnlyNonceOption = {}): Uint8Array {
  const encryptor = createBlobEncryptor(key, options);
  return concatBytes(...encryptor.push(plaintext), ...encryptor.final());
}
