import type { BlobHash } from "@botschat/protocol";
import { sodium } from "./ready.js";
import { SHA256_BYTES } from "./sizes.js";

/** SHA-256 of `bytes` (libsodium `crypto_hash_sha256`). */
export function sha256(bytes: Uint8Array): Uint8Array {
  return sodium().crypto_hash_sha256(bytes);
}

/** An incremental SHA-256, for hashing a blob while it streams. */
export interface Sha256 {
  update(bytes: Uint8Array): void;
  /** The digest; ends the hasher (and frees its libsodium state). Call once. */
  digest(): Uint8Array;
}

/**
 * Starts an incremental SHA-256 over libsodium's `crypto_hash_sha256_init/update/final`.
 * Call `digest()` even when abandoning a hash: libsodium.js frees the state only there.
 */
export function createSha256(): Sha256 {
  const s = sodium();
  const state = s.crypto_hash_sha256_init();
  let done = false;
  return {
    update(bytes) {
      if (done) throw new Error("this SHA-256 is already finished");
      s.crypto_hash_sha256_update(state, bytes);
    },
    digest() {
      if (done) throw new Error("this SHA-256 is already finished");
      done = true;
      return s.crypto_hash_sha256_final(state);
    },
  };
}

/** The lowercase hex form of a SHA-256 digest: how the REST API names a blob. */
export function toBlobHash(digest: Uint8Array): BlobHash {
  if (digest.length !== SHA256_BYTES) throw new RangeError(`a SHA-256 digest is ${SHA256_BYTES} bytes`);
  return sodium().to_hex(digest) as BlobHash;
}

/** The name of an encrypted blob: lowercase hex SHA-256 of its ciphertext (`PUT /api/blobs/:sha256hex`). */
export function blobHashOf(ciphertext: Uint8Array): BlobHash {
  return toBlobHash(sha256(ciphertext));
}
