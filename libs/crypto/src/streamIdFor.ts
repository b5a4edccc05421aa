import type { EnvelopeDocId, StreamId } from "@botschat/protocol";
import { utf8 } from "./bytes.js";
import { sodium } from "./ready.js";
import { STREAM_ID_BYTES } from "./sizes.js";
import type { VaultKeys } from "./Vault.js";

/**
 * The document id of the workspace root document. Its stream is {@link rootStreamId}, i.e.
 * `BLAKE2b-256(key, "root")` ([K3]), never `BLAKE2b-256(key, "doc:root")`: no document may
 * live on that second stream, and {@link streamIdFor} never returns it.
 */
export const ROOT_DOCUMENT_ID = "root" as EnvelopeDocId;

/** The root document's stream id ([K3]): `BLAKE2b-256(key = stream-id key, "root")`. */
export function rootStreamId(keys: VaultKeys): StreamId {
  return sodium().crypto_generichash(STREAM_ID_BYTES, utf8("root"), keys.streamIdKey) as StreamId;
}

/**
 * The stream id of a document ([K3]): `BLAKE2b-256(key = stream-id key, "doc:" + documentId)`
 * over the UTF-8 bytes, 32 bytes, or {@link rootStreamId} for {@link ROOT_DOCUMENT_ID}. The
 * relay sees only this value, never the id.
 */
export function streamIdFor(keys: VaultKeys, documentId: EnvelopeDocId): StreamId {
  if (documentId === ROOT_DOCUMENT_ID) return rootStreamId(keys);
  return sodium().crypto_generichash(STREAM_ID_BYTES, utf8(`doc:${documentId}`), keys.streamIdKey) as StreamId;
}
