import { BlobDecryptError, type DecryptBlobResult } from "./Blob.js";
import { concatBytes } from "./bytes.js";
import { createBlobDecryptor } from "./createBlobDecryptor.js";

/**
 * Decrypts a small blob held in memory ([K7]). A truncated, tampered or over-long file is a
 * result value (`truncated`, `decrypt-failed`, `trailing-data`), never an exception.
 */
export function decryptBlob(key: Uint8Array, ciphertext: Uint8Array): DecryptBlobResult {
  const decryptor = createBlobDecryptor(key);
  try {
    const plaintext = concatBytes(...decryptor.push(ciphertext), ...decryptor.final());
    return { ok: true, plaintext };
  } catch (error) {
    if (error instanceof BlobDecryptError) return { ok: false, reason: error.reason };
    throw error;
  }
}
