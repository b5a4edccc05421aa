import { type BlobsDoc, blobsInitial } from "../docs/BlobsDoc.js";
import { BLOBS_DOC_ID } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import type { BlobHash } from "../docs/ids.js";
import { liveBlobHashes } from "./liveBlobHashes.js";
import { ensureDoc, openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";

/**
 * Deletes one blob at the relay. Resolves true once the relay no longer has it (it answered 204,
 * or 404: deleted already, by another device perhaps), false (or rejects) when it should be tried
 * again later.
 */
export type BlobRemover = (hash: BlobHash) => Promise<boolean>;

/** What one {@link deleteQueuedBlobs} pass did with the queued blobs. */
export interface BlobDeletionPass {
  /** Deleted at the relay (or found gone there); their entries are cleared. */
  deleted: BlobHash[];
  /** A live message refers to them again (a copy of the message arrived): not deleted, entries cleared. */
  kept: BlobHash[];
  /** The relay could not be asked or refused: still queued. */
  failed: BlobHash[];
}

/**
 * Queues for deletion at the relay the blobs among `hashes` (those of the messages of documents
 * just tombstoned) that no live message of the workspace still refers to. Runs offline: the
 * queue is a synced document, so any online device of the person carries it out
 * ({@link deleteQueuedBlobs}). Answers the hashes queued.
 */
export async function queueBlobDeletions(store: DocStore, hashes: Iterable<BlobHash>, now: number): Promise<BlobHash[]> {
  const candidates = new Set(hashes);
  if (candidates.size === 0) return [];
  const live = await liveBlobHashes(store);
  const orphans = [...candidates].filter((h) => !live.has(h));
  if (orphans.length === 0) return [];
  const blobs = await ensureDoc<BlobsDoc>(store, BLOBS_DOC_ID, "blobs", blobsInitial);
  blobs.change((d) => {
    for (const h of orphans) d.toDelete[h] = now;
  });
  return orphans;
}

/** The blobs queued for deletion on this device's copy, oldest first. */
export async function queuedBlobDeletions(store: DocStore): Promise<BlobHash[]> {
  const queue = await openQueue(store);
  if (queue === undefined) return [];
  return (Object.entries(queue) as [BlobHash, number][]).sort((a, b) => a[1] - b[1]).map(([h]) => h);
}

/**
 * Carries out the queued blob deletions: each queued blob that no live message refers to (a
 * message copied into another session may have arrived since it was queued) is deleted with
 * `remove`; the entries of those deleted and of those kept are cleared, the others stay for a
 * later pass. Two devices doing this at once is harmless: the second hears 404, which counts as
 * deleted.
 */
export async function deleteQueuedBlobs(store: DocStore, remove: BlobRemover): Promise<BlobDeletionPass> {
  const pass: BlobDeletionPass = { deleted: [], kept: [], failed: [] };
  const queue = await openQueue(store);
  if (queue === undefined || Object.keys(queue).length === 0) return pass;
  const queued = { ...queue };
  const live = await liveBlobHashes(store);
  for (const hash of Object.keys(queued) as BlobHash[]) {
    if (live.has(hash)) {
      pass.kept.push(hash);
      continue;
    }
    const gone = await remove(hash).catch(() => false);
    (gone ? pass.deleted : pass.failed).push(hash);
  }
  const done = [...pass.deleted, ...pass.kept];
  if (done.length > 0) {
    // Found again: a handle kept across the requests may have been let go of meanwhile.
    const blobs = await openDoc<BlobsDoc>(store, BLOBS_DOC_ID, "blobs");
    blobs.change((d) => {
      // An entry queued again meanwhile (another deletion, after this pass looked) stays.
      for (const h of done) if (d.toDelete[h] === queued[h]) delete d.toDelete[h];
    });
  }
  return pass;
}

/** The queue on this device's copy; undefined when no device ever queued anything. */
async function openQueue(store: DocStore): Promise<Record<BlobHash, number> | undefined> {
  try {
    return (await openDoc<BlobsDoc>(store, BLOBS_DOC_ID, "blobs")).doc().toDelete;
  } catch (e) {
    // Written by a newer version (or not what it should be): not ours to clear.
    if (e instanceof OpError && (e.code === OpErrorCode.tooNew || e.code === OpErrorCode.wrongType)) throw e;
    return undefined; // not here: nothing was ever queued, or not synced yet
  }
}
