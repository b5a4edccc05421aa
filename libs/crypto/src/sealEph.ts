import type { EphPayload } from "./Envelope.js";
import type { TestOnlyNonceOption } from "./randomOrTestNonce.js";
import { sealEnvelope } from "./sealEnvelope.js";
import type { VaultKeys } from "./Vault.js";

/**
 * The `body` of an `eph` frame ([K6]): the entry envelope with kind `"eph"` around CBOR
 * `{v: 1, doc, type, ...rest}`. Field order follows the payload's own order after `v`, `doc`
 * and `type`. Throws (a bug) when `stream` is not `streamIdFor(keys, payload.doc)`.
 *
 * @example
 * sealEph(keys, stream, { doc, type: "agent-text", run, seq: 3, text: "Hel" });
 */
export function sealEph(keys: VaultKeys, stream: Uint8Array, payload: EphPayload, options: TestOnlyNonceOption = {}): Uint8Array {
  const { doc, type, v: _version, ...rest } = payload;
  if (typeof type !== "string" || type === "") throw new Error("an ephemeral payload needs a type");
  return sealEnvelope(keys, stream, "eph", { v: 1, doc, type, ...rest }, options.dangerousTestOnlyNonce);
}
