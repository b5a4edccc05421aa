import { BlobDecryptError, BlobFailure, type BlobDecryptor } from "./Blob.js";
import { sodium } from "./ready.js";
import { BLOB_CHUNK_OVERHEAD_BYTES, BLOB_CIPHER_CHUNK_BYTES, BLOB_HEADER_BYTES, BLOB_KEY_BYTES, SECRETSTREAM_TAG_FINAL } from "./sizes.js";

/** Where a decryptor is in the file. */
const Phase = { header: "header", chunks: "chunks", done: "done", failed: "failed", closed: "closed" } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * Starts decrypting one blob ([K7]) from ciphertext pieces of any size: the header, then
 * secretstream chunks of 64 KiB + 17 bytes, the last one shorter or equal and tagged FINAL.
 * Only authenticated plaintext is ever returned. Detects a cut at a chunk boundary
 * (`truncated`), any changed, cut, reordered or extended chunk (`decrypt-failed`) and bytes
 * after a full-size FINAL chunk (`trailing-data`), by throwing {@link BlobDecryptError}.
 * Chunks are delimited by size alone, so a FINAL chunk may be full-size (a writer that holds
 * back its last full chunk) or shorter (this package's encryptor, which never holds back).
 *
 * @example
 * const dec = createBlobDecryptor(key);
 * for await (const piece of response.body) for (const p of dec.push(piece)) sink.write(p);
 * dec.final(); // throws BlobDecryptError("truncated") if the download was cut
 */
export function createBlobDecryptor(key: Uint8Array): BlobDecryptor {
  const s = sodium();
  if (key.length !== BLOB_KEY_BYTES) throw new RangeError(`a blob key is ${BLOB_KEY_BYTES} bytes`);
  const keyCopy = key.slice();
  const header = new Uint8Array(BLOB_HEADER_BYTES);
  const chunk = new Uint8Array(BLOB_CIPHER_CHUNK_BYTES);
  let filled = 0;
  let phase: Phase = Phase.header;
  let failure: BlobDecryptError | undefined;
  let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;

  const fail = (reason: BlobFailure): never => {
    phase = Phase.failed;
    failure = new BlobDecryptError(reason);
    s.memzero(chunk);
    throw failure;
  };

  /** Decrypts one whole chunk; moves to `done` when it is tagged FINAL. */
  const pull = (cipher: Uint8Array): { plaintext: Uint8Array; final: boolean } => {
    if (state === undefined || cipher.length < BLOB_CHUNK_OVERHEAD_BYTES) return fail(BlobFailure.truncated);
    let result: { message: Uint8Array; tag: number } | false;
    try {
      result = s.crypto_secretstream_xchacha20poly1305_pull(state, cipher, null);
    } catch (_unauthentic) {
      result = false;
    }
    if (result === false) return fail(BlobFailure.decryptFailed);
    const final = result.tag === SECRETSTREAM_TAG_FINAL;
    if (final) phase = Phase.done;
    return { plaintext: result.message, final };
  };

  const check = (): void => {
    if (failure !== undefined) throw failure;
    if (phase === Phase.closed) throw new Error("this blob decryptor is already finished");
  };

  return {
    push(ciphertext) {
      check();
      const out: Uint8Array[] = [];
      let offset = 0;
      while (offset < ciphertext.length) {
        if (phase === Phase.done) return fail(BlobFailure.trailingData);
        const target = phase === Phase.header ? header : chunk;
        const take = Math.min(target.length - filled, ciphertext.length - offset);
        target.set(ciphertext.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < target.length) continue;
        filled = 0;
        if (phase === Phase.header) {
          state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, keyCopy);
          s.memzero(keyCopy);
          phase = Phase.chunks;
        } else {
          out.push(pull(chunk).plaintext);
        }
      }
      return out;
    },
    final() {
      check();
      const out: Uint8Array[] = [];
      if (phase === Phase.header) fail(BlobFailure.truncated);
      if (phase === Phase.chunks) {
        if (filled === 0) fail(BlobFailure.truncated);
        const last = pull(chunk.subarray(0, filled));
        // An authentic but non-final last chunk means the writer never finished the file.
        if (!last.final) fail(BlobFailure.truncated);
        out.push(last.plaintext);
      }
      phase = Phase.closed;
      s.memzero(chunk);
      return out;
    },
  };
}
