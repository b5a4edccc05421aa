import { encodeCbor, type EnvelopeDocId } from "@botschat/protocol";
import { concatBytes, equalBytes, utf8 } from "./bytes.js";
import type { EnvelopeKind } from "./Envelope.js";
import { randomOrTestNonce } from "./randomOrTestNonce.js";
import { sodium } from "./ready.js";
import { NONCE_BYTES, PAD_BLOCK_BYTES } from "./sizes.js";
import { streamIdFor } from "./streamIdFor.js";
import type { VaultKeys } from "./Vault.js";

/**
 * The additional data of an envelope: `stream ‖ utf8(kind)` ([K4]). Binding both means a body
 * replayed onto another stream, or as another kind, fails to decrypt.
 */
export function envelopeAd(stream: Uint8Array, kind: EnvelopeKind): Uint8Array {
  return concatBytes(stream, utf8(kind));
}

/**
 * `nonce ‖ XChaCha20-Poly1305(sodium_pad(CBOR(fields), 256), ad = stream ‖ kind)` ([K4]).
 * Writes no bytes for `doc` a reader would reject: `stream` must be the stream of `doc`.
 */
export function sealEnvelope(
  keys: VaultKeys,
  stream: Uint8Array,
  kind: EnvelopeKind,
  fields: { v: 1; doc: EnvelopeDocId } & Record<string, unknown>,
  dangerousTestOnlyNonce?: Uint8Array,
): Uint8Array {
  if (!equalBytes(streamIdFor(keys, fields.doc), stream)) {
    throw new Error(`sealing ${kind} for a document on another document's stream`);
  }
  return sealEnvelopeUnchecked(keys, stream, kind, fields, dangerousTestOnlyNonce);
}

/** {@link sealEnvelope} without the stream check; tests use it to forge wrong-stream bodies. */
export function sealEnvelopeUnchecked(
  keys: VaultKeys,
  stream: Uint8Array,
  kind: EnvelopeKind,
  fields: Record<string, unknown>,
  dangerousTestOnlyNonce?: Uint8Array,
): Uint8Array {
  const s = sodium();
  const encoded = encodeCbor(fields);
  const padded = s.pad(encoded, PAD_BLOCK_BYTES);
  // cbor-x encodes into a buffer it keeps and reuses: wipe the plaintext left there.
  encoded.fill(0);
  const nonce = randomOrTestNonce(NONCE_BYTES, dangerousTestOnlyNonce);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, envelopeAd(stream, kind), null, nonce, keys.contentKey);
  s.memzero(padded);
  return concatBytes(nonce, sealed);
}
