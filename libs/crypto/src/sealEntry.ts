import type { SealEntryInput } from "./Envelope.js";
import type { TestOnlyNonceOption } from "./randomOrTestNonce.js";
import { sealEnvelope } from "./sealEnvelope.js";
import type { VaultKeys } from "./Vault.js";

/**
 * The `body` of an `append` frame ([K4]): a fresh 24-byte nonce ‖ XChaCha20-Poly1305 of the
 * `sodium_pad`-ded CBOR `{v: 1, doc, data}` (or `{v: 1, doc, deleted: true}` for a tombstone,
 * [S4]), with `stream ‖ kind` as additional data. Plaintexts are padded to a multiple of 256
 * bytes, so a body is always 40 + 256·n bytes long.
 *
 * Throws (a bug, not an expected failure) when `stream` is not `streamIdFor(keys, doc)`, or for
 * a tombstone that is not a snapshot or carries data.
 *
 * @example
 * const stream = streamIdFor(keys, doc);
 * const body = sealEntry(keys, { stream, kind: "update", doc, data: change });
 */
export function sealEntry(keys: VaultKeys, input: SealEntryInput, options: TestOnlyNonceOption = {}): Uint8Array {
  const { stream, kind, doc } = input;
  if (input.deleted === true) {
    if (kind !== "snapshot" || input.data !== undefined) {
      throw new Error("a tombstone is a snapshot without data");
    }
    return sealEnvelope(keys, stream, kind, { v: 1, doc, deleted: true }, options.dangerousTestOnlyNonce);
  }
  if (!(input.data instanceof Uint8Array)) throw new Error("an entry needs data bytes, or deleted: true");
  return sealEnvelope(keys, stream, kind, { v: 1, doc, data: input.data }, options.dangerousTestOnlyNonce);
}
