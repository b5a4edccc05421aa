import type { EnvelopeDocId, EntryKind } from "@botschat/protocol";

/** The `kind` bound into an envelope's additional data: an entry kind, or `"eph"` ([K6]). */
export type EnvelopeKind = EntryKind | "eph";

/** Why an entry or ephemeral body was rejected ([K5]). Expected outcomes: log and carry on. */
export const EnvelopeFailure = {
  /** Authentication failed: tampered body, nonce, stream or kind, another key, or too short. */
  decryptFailed: "decrypt-failed",
  /** Authentic, but the `sodium_pad` padding is invalid (a faulty writer). */
  badPadding: "bad-padding",
  /** Authentic, but not the CBOR map this format needs (or another `v`). */
  malformed: "malformed",
  /** Authentic, but its `doc` does not hash to the stream it arrived on. */
  wrongStream: "wrong-stream",
} as const;
export type EnvelopeFailure = (typeof EnvelopeFailure)[keyof typeof EnvelopeFailure];

/** The plaintext fields of an entry: Automerge bytes, or a tombstone ([K4], [S4]). */
export type EntryContent = { doc: EnvelopeDocId; deleted: false; data: Uint8Array } | { doc: EnvelopeDocId; deleted: true; data?: undefined };

/** Input of {@link sealEntry}. A tombstone (`deleted: true`, no `data`) is always a snapshot. */
export type SealEntryInput =
  | { stream: Uint8Array; kind: EntryKind; doc: EnvelopeDocId; data: Uint8Array; deleted?: false }
  | { stream: Uint8Array; kind: "snapshot"; doc: EnvelopeDocId; deleted: true; data?: undefined };

/** Input of {@link openEntry}: the fields of an `entry` frame. */
export interface OpenEntryInput {
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
}

/** What {@link openEntry} answers. */
export type OpenEntryResult = ({ ok: true } & EntryContent) | { ok: false; reason: EnvelopeFailure };

/**
 * The plaintext of an ephemeral body ([K6]): the document it concerns, a `type`, and any other
 * CBOR-encodable fields (e.g. a run id and sequence number for streamed agent text).
 */
export interface EphPayload {
  doc: EnvelopeDocId;
  type: string;
  [field: string]: unknown;
}

/** What {@link openEph} answers. */
export type OpenEphResult = { ok: true; payload: EphPayload } | { ok: false; reason: EnvelopeFailure };
