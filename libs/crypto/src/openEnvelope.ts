import { decodeCbor, parseEnvelopeDocId, type EnvelopeDocId } from "@botschat/protocol";
import { equalBytes, isRecord } from "./bytes.js";
import { EnvelopeFailure, type EnvelopeKind } from "./Envelope.js";
import { sodium } from "./ready.js";
import { envelopeAd } from "./sealEnvelope.js";
import { AEAD_TAG_BYTES, NONCE_BYTES, PAD_BLOCK_BYTES } from "./sizes.js";
import { streamIdFor } from "./streamIdFor.js";
import type { VaultKeys } from "./Vault.js";

/** An authentic, well-formed envelope plaintext: the decoded map and its checked `doc`. */
export type OpenedEnvelope = { ok: true; doc: EnvelopeDocId; fields: Record<string, unknown> } | { ok: false; reason: EnvelopeFailure };

/**
 * Opens `nonce ‖ ciphertext` ([K4]) and checks what every envelope shares: padding, a CBOR map
 * with `v: 1` and a valid `doc`, and that `doc` hashes to `stream` ([K5]). Never throws for a
 * bad body.
 */
export function openEnvelope(keys: VaultKeys, stream: Uint8Array, kind: EnvelopeKind, body: Uint8Array): OpenedEnvelope {
  const s = sodium();
  if (body.length < NONCE_BYTES + AEAD_TAG_BYTES) return fail(EnvelopeFailure.decryptFailed);
  let padded: Uint8Array;
  try {
    padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      body.subarray(NONCE_BYTES),
      envelopeAd(stream, kind),
      body.subarray(0, NONCE_BYTES),
      keys.contentKey,
    );
  } catch (_unauthentic) {
    return fail(EnvelopeFailure.decryptFailed);
  }
  let plain: Uint8Array;
  try {
    plain = s.unpad(padded, PAD_BLOCK_BYTES);
  } catch (_badPadding) {
    return fail(EnvelopeFailure.badPadding);
  }
  let fields: unknown;
  try {
    fields = decodeCbor(plain);
  } catch (_notCbor) {
    return fail(EnvelopeFailure.malformed);
  }
  if (!isRecord(fields) || fields["v"] !== 1) return fail(EnvelopeFailure.malformed);
  const doc = typeof fields["doc"] === "string" ? parseEnvelopeDocId(fields["doc"]) : undefined;
  if (doc === undefined) return fail(EnvelopeFailure.malformed);
  if (!equalBytes(streamIdFor(keys, doc), stream)) return fail(EnvelopeFailure.wrongStream);
  return { ok: true, doc, fields };
}

function fail(reason: EnvelopeFailure): OpenedEnvelope {
  return { ok: false, reason };
}
