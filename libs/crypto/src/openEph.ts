import { withPlainBytes } from "./bytes.js";
import { EnvelopeFailure, type OpenEphResult } from "./Envelope.js";
import { openEnvelope } from "./openEnvelope.js";
import type { VaultKeys } from "./Vault.js";

/**
 * Opens the body of an `eph` frame ([K6]) into its payload `{doc, type, ...rest}` (without
 * `v`). Rejections are values, with the same reasons as {@link openEntry}; a payload without a
 * non-empty text `type` is `malformed`. Byte fields come back as `Uint8Array`.
 */
export function openEph(keys: VaultKeys, stream: Uint8Array, body: Uint8Array): OpenEphResult {
  const opened = openEnvelope(keys, stream, "eph", body);
  if (!opened.ok) return opened;
  const { v: _version, doc: _doc, type, ...rest } = opened.fields;
  if (typeof type !== "string" || type === "") return { ok: false, reason: EnvelopeFailure.malformed };
  const fields = withPlainBytes(rest) as Record<string, unknown>;
  return { ok: true, payload: { doc: opened.doc, type, ...fields } };
}
