import type { BlobEncryptor } from "./Blob.js";
import { randomOrTestNonce, type TestOnlyNonceOption } from "./randomOrTestNonce.js";
import { sodium } from "./ready.js";
import { BLOB_CHUNK_BYTES, BLOB_HEADER_BYTES, BLOB_KEY_BYTES, SECRETSTREAM_TAG_FINAL, SECRETSTREAM_TAG_MESSAGE } from "./sizes.js";

/** Where an encryptor is: nothing emitted yet, header emitted, FINAL chunk emitted. */
const Phase = { fresh: "fresh", streaming: "streaming", finished: "finished" } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** A fresh random blob key ([K7]): one per file, stored only in the document that references the blob. */
export function generateBlobKey(): Uint8Array {
  return sodium().crypto_secretstream_xchacha20poly1305_keygen();
}

/**
 * Starts encrypting one blob with `crypto_secretstream_xchacha20poly1305` ([K7]). Full 64 KiB
 * chunks are emitted as soon as they fill, tagged MESSAGE; `final()` emits the remainder
 * (possibly empty) tagged FINAL, so a reader can tell a complete file from a cut one.
 *
 * Note: libsodium.js keeps the 52-byte stream state in its heap and offers no way to free it.
 *
 * @example
 * const enc = createBlobEncryptor(generateBlobKey());
 * for await (const piece of file) for (const c of enc.push(piece)) upload(c);
 * for (const c of enc.final()) upload(c);
 */
export function createBlobEncryptor(key: Uint8Array, options: TestOnlyNonceOption = {}): BlobEncryptor {
  const s = sodium();
  if (key.length !== BLOB_KEY_BYTES) throw new RangeError(`a blob key is ${BLOB_KEY_BYTES} bytes`);
  let header: Uint8Array;
  let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull>;
  if (options.dangerousTestOnlyNonce === undefined) {
    ({ state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key));
  } else {
    // libsodium.js cannot push with a chosen header, but init_push is exactly "random header,
    // then init_pull's derivation", so a pull state over the test header is that push state.
    header = randomOrTestNonce(BLOB_HEADER_BYTES, options.dangerousTestOnlyNonce);
    state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  }

  const pending = new Uint8Array(BLOB_CHUNK_BYTES);
  let filled = 0;
  let phase: Phase = Phase.fresh;

  /** The header on the first call, nothing after; refuses calls after `final`. */
  const start = (): Uint8Array[] => {
    if (phase === Phase.finished) throw new Error("this blob encryptor is already finished");
    if (phase === Phase.streaming) return [];
    phase = Phase.streaming;
    return [header.slice()];
  };

  return {
    header: header.slice(),
    push(plaintext) {
      const out = start();
      let offset = 0;
      while (offset < plaintext.length) {
        if (filled === 0 && plaintext.length - offset >= BLOB_CHUNK_BYTES) {
          // A whole chunk straight from the input: no copy into `pending`.
          const chunk = plaintext.subarray(offset, offset + BLOB_CHUNK_BYTES);
          out.push(s.crypto_secretstream_xchacha20poly1305_push(state, chunk, null, SECRETSTREAM_TAG_MESSAGE));
          offset += BLOB_CHUNK_BYTES;
          continue;
        }
        const take = Math.min(BLOB_CHUNK_BYTES - filled, plaintext.length - offset);
        pending.set(plaintext.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === BLOB_CHUNK_BYTES) {
          out.push(s.crypto_secretstream_xchacha20poly1305_push(state, pending, null, SECRETSTREAM_TAG_MESSAGE));
          filled = 0;
        }
      }
      return out;
    },
    final() {
      const out = start();
      out.push(s.crypto_secretstream_xchacha20poly1305_push(state, pending.subarray(0, filled), null, SECRETSTREAM_TAG_FINAL));
      phase = Phase.finished;
      s.memzero(pending);
      return out;
    },
  };
}
