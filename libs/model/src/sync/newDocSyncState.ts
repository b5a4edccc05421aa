import type { DocSyncState } from "../storage/PeerStorage.js";

/** The state of a document the relay holds nothing of yet, on `stream`. */
export const newDocSyncState = (stream: Uint8Array): DocSyncState => ({
  stream,
  knownHeads: [],
  lastSeq: 0,
  updatesSinceSnapshot: 0,
  updateBytesSinceSnapshot: 0,
  snapshotBytes: 0,
  ownUpdateBytes: 0,
});
