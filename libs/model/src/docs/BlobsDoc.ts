import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { imm } from "./Imm.js";
import type { BlobHash } from "./ids.js";

/**
 * The workspace's blob bookkeeping ({@link BLOBS_DOC_ID}): the blobs to delete at the relay. A
 * session or channel deletion queues the blobs of its messages that no live message refers to;
 * any online device of the person (a browser, an agent) deletes them at the relay and clears
 * the entry (`deleteQueuedBlobs`, docs/decisions/009-deleting-blobs.md). Created from a
 * deterministic first change, so devices that queue a deletion offline share one map.
 */
export interface BlobsDoc extends DocHeader<"blobs"> {
  /** Blob hash → when it was queued (ms, the queuing device's clock). */
  toDelete: Record<BlobHash, number>;
}

/** The blobs document's first change: what `ensure(BLOBS_DOC_ID, …)` creates. */
export function blobsInitial(): BlobsDoc {
  return { type: imm("blobs"), schema: SCHEMA_VERSION.blobs, toDelete: {} };
}
