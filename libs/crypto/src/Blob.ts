/** Why an encrypted blob did not decrypt ([K7]). */
export const BlobFailure = {
  /** The stream ended before a chunk tagged FINAL: the file was cut at a chunk boundary, or is shorter than its header. */
  truncated: "truncated",
  /** A chunk failed authentication: tampered bytes, a cut inside a chunk, reordered chunks, or another key. */
  decryptFailed: "decrypt-failed",
  /**
   * Bytes follow a full-size chunk tagged FINAL. (Bytes after a shorter FINAL chunk cannot be
   * told apart from a longer chunk: they make it fail as `decrypt-failed`.)
   */
  trailingData: "trailing-data",
} as const;
export type BlobFailure = (typeof BlobFailure)[keyof typeof BlobFailure];

/**
 * Thrown by the streaming blob decryptor, so that a failure errors a stream pipeline the way
 * streams expect; {@link decryptBlob} turns it into a result value.
 */
export class BlobDecryptError extends Error {
  override readonly name = "BlobDecryptError";
  constructor(readonly reason: BlobFailure) {
    super(messages[reason]);
  }
}

const messages: Record<BlobFailure, string> = {
  truncated: "encrypted blob is truncated: it ends before its final chunk",
  "decrypt-failed": "encrypted blob failed authentication: tampered, cut inside a chunk, or another key",
  "trailing-data": "encrypted blob has bytes after its final chunk",
};

/**
 * Encrypts a blob chunk by chunk. Concatenating everything `push` and `final` return, in order,
 * gives the encrypted file: the 24-byte header, then one secretstream chunk per 64 KiB of
 * plaintext, the last one (0 to 65535 bytes of plaintext) tagged FINAL.
 */
export interface BlobEncryptor {
  /** The secretstream header; it is also the first array that `push` or `final` returns. */
  readonly header: Uint8Array;
  /** Takes plaintext of any length; returns the ciphertext that became ready (maybe none). */
  push(plaintext: Uint8Array): Uint8Array[];
  /** Ends the blob: returns the rest, ending with the FINAL chunk. Call once. */
  final(): Uint8Array[];
}

/**
 * Decrypts a blob from ciphertext pieces cut anywhere. Throws {@link BlobDecryptError} on the
 * first problem, and again on every later call.
 */
export interface BlobDecryptor {
  /** Takes ciphertext of any length; returns the plaintext that became ready and authentic. */
  push(ciphertext: Uint8Array): Uint8Array[];
  /** Declares the end of the ciphertext; throws `truncated` if no FINAL chunk was seen. */
  final(): Uint8Array[];
}

/** What {@link decryptBlob} answers. */
export type DecryptBlobResult = { ok: true; plaintext: Uint8Array } | { ok: false; reason: BlobFailure };
