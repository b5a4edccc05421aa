import { type BinaryDocumentId, type DocumentId, interpretAsDocumentId } from "@automerge/automerge-repo";
import type { MessageId, SessionId, TaskId } from "./ids.js";
import { sha256 } from "./sha256.js";

/**
 * A derived document id: the first 16 bytes of SHA-256 over `name` (UTF-8), in automerge-repo's
 * DocumentId form. Used for documents that two devices may create concurrently; such documents
 * start from {@link deterministicDoc} so both devices build the same first change.
 */
export function deriveDocumentId(name: string): DocumentId {
  const digest = sha256(new TextEncoder().encode(name));
  return interpretAsDocumentId(digest.slice(0, 16) as BinaryDocumentId);
}

/**
 * The DocumentId of the workspace root, the same on every device: `deriveDocumentId("root")`.
 * In envelopes it is carried as crypto's `ROOT_DOCUMENT_ID` on the root stream (PROTOCOL [K3]).
 */
export const ROOT_DOC_ID: DocumentId = deriveDocumentId("root");

/** The workspace's blobs document (`BlobsDoc`), the same on every device: `deriveDocumentId("blobs")`. */
export const BLOBS_DOC_ID: DocumentId = deriveDocumentId("blobs");

/** The thread document of a message: `thread:<page document id>:<message id>`. */
export function threadDocId(pageDoc: DocumentId, message: MessageId): DocumentId {
  return deriveDocumentId(`thread:${pageDoc}:${message}`);
}

/** Page `n` ≥ 1 of a session: `page:<session id>:<n>` (page 0 has a random id). */
export function pageDocId(session: SessionId, n: number): DocumentId {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError("derived pages start at 1; page 0 has a random id");
  return deriveDocumentId(`page:${session}:${n}`);
}

/** The job log of a task for a month (`YYYY-MM`, UTC): `jobs:<task id>:<month>`. */
export function jobLogDocId(task: TaskId, month: string): DocumentId {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`a month is YYYY-MM, not ${month}`);
  return deriveDocumentId(`jobs:${task}:${month}`);
}

/** The UTC month (`YYYY-MM`) of a time in ms: which job log a job goes to. */
export function monthOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
