import type { DocSyncState } from "../storage/PeerStorage.js";

/** When a document's history is replaced by a snapshot ([S1]); see DESIGN.md "Lessons". */
export interface SnapshotPolicy {
  /** A snapshot after this many updates since the last one. */
  afterUpdates: number;
  /** Updates must outweigh the last snapshot, and this many bytes, before their weight alone triggers one. */
  minBytes: number;
}

/**
 * Whether a document's stream should get a snapshot now: its updates since the last snapshot
 * outweigh that snapshot (the rule automerge-repo uses for its own storage), or there are
 * `afterUpdates` of them.
 */
export function shouldSnapshot(st: DocSyncState, policy: SnapshotPolicy): boolean {
  if (st.deleted || st.updatesSinceSnapshot === 0) return false;
  // A stream of one update holds nothing a snapshot would replace.
  if (st.updatesSinceSnapshot === 1 && st.snapshotBytes === 0) return false;
  return st.updateBytesSinceSnapshot > Math.max(st.snapshotBytes, policy.minBytes) || st.updatesSinceSnapshot >= policy.afterUpdates;
}
