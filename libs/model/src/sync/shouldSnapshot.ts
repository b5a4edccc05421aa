import type { DocSyncState } from "../storage/PeerStorage.js";

/** When a document's history is replaced by a snapshot ([S1]); see DESIGN.md "Lessons". */
export interface SnapshotPolicy {
  /** A snapshot after this many updates since the last one. */
  afterUpdates: number;
  /** Updates must outweigh the last snapshot, and this many bytes, before their weight alone triggers one. */
  minBytes: number;
  /**
   * Once a document is quiet (or this device has just caught up), a snapshot as soon as its
   * updates weigh more than this fraction of the last snapshot: what the relay keeps of a quiet
   * document stays within `1 + quietRatio` of one save (DESIGN.md "Budgets": ≤ 1.1×).
   */
  quietRatio: number;
}

/** Why the engine asks: a device is writing an update now, or the document has gone quiet. */
export type SnapshotMoment = "writing" | "quiet";

/**
 * Whether this device should write a snapshot of a document's stream now.
 *
 * - While writing: when its updates since the last snapshot outweigh that snapshot (the rule
 *   automerge-repo uses for its own storage), or there are `afterUpdates` of them.
 * - When quiet: as soon as they weigh more than `quietRatio` of the last snapshot, so a compacted
 *   document is little more than one save.
 * - Only the device that wrote at least half of those update bytes writes it, so several
 *   devices catching up on the same document do not each send the same snapshot (two devices
 *   with exactly half each may both; the later one simply covers more). A stream that grew to
 *   twice the writing threshold — its main writer gone quiet for good — is compacted by anyone.
 */
export function shouldSnapshot(st: DocSyncState, policy: SnapshotPolicy, moment: SnapshotMoment = "writing"): boolean {
  if (st.deleted || st.updatesSinceSnapshot === 0) return false;
  // A stream of one update holds nothing a snapshot would replace.
  if (st.updatesSinceSnapshot === 1 && st.snapshotBytes === 0) return false;
  const bytes = st.updateBytesSinceSnapshot;
  const threshold = Math.max(st.snapshotBytes, policy.minBytes);
  const heavy = bytes > threshold || st.updatesSinceSnapshot >= policy.afterUpdates;
  const due = heavy || (moment === "quiet" && bytes > policy.quietRatio * st.snapshotBytes);
  if (!due) return false;
  const mine = 2 * (st.ownUpdateBytes ?? 0) >= bytes;
  const abandoned = bytes > 2 * threshold || st.updatesSinceSnapshot >= 2 * policy.afterUpdates;
  return mine || abandoned;
}
