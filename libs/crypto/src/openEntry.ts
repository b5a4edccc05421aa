import { copyBytes } from "./bytes.js";
import { EnvelopeFailure, type OpenEntryInput, type OpenEntryResult } from "./Envelope.js";
import { openEnvelope } from "./openEnvelope.js";
import type { VaultKeys } from "./Vault.js";

/**
 * Opens the body of an `entry` frame ([K4], [K5]). Rejections are values, for the caller to
 * record in its debug log before carrying on with the next entry: `decrypt-failed` (tampered,
 * replayed onto another stream or kind, or another key), `bad-padding`, `malformed` (including
 * `deleted` on an update, or both/neither of `data` and `deleted`), `wrong-stream` (the
 * authentic `doc` does not hash to `stream`).
 *
 * @example
 * const opened = openEntry(keys, frame);
 * if (!opened.ok) debugLog("entry rejected", frame.seq, opened.reason);
 * else if (opened.deleted) forget(opened.doc);
 * else apply(opened.doc, opened.data);
 */
export function openEntry(keys: VaultKeys, input: OpenEntryInput): OpenEntryResult {
  const opened = openEnvelope(keys, input.stream, input.kind, input.body);
  if (!opened.ok) return opened;
  const { doc, fields } = opened;
  const { data, deleted } = fields;
  if (deleted === true) {
    // A tombstone replaces a stream's history, so only a snapshot can carry one ([S4]).
    if (input.kind !== "snapshot" || data !== undefined) return malformed();
    return { ok: true, doc, deleted: true };
  }
  if (deleted !== undefined && deleted !== false) return malformed();
  if (!(data instanceof Uint8Array)) return malformed();
  return { ok: true, doc, deleted: false, data: copyBytes(data) };
}

function malformed(): OpenEntryResult {
  return { ok: false, reason: EnvelopeFailure.malformed };
}
