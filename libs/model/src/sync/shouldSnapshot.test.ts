import { describe, expect, it } from "vitest";
import type { DocSyncState } from "../storage/PeerStorage.js";
import { newDocSyncState } from "./newDocSyncState.js";
import { shouldSnapshot, type SnapshotPolicy } from "./shouldSnapshot.js";

const policy: SnapshotPolicy = { afterUpdates: 300, minBytes: 4096, quietRatio: 0.1 };
const state = (patch: Partial<DocSyncState>): DocSyncState => ({ ...newDocSyncState(new Uint8Array(32)), ...patch });

describe("shouldSnapshot", () => {
  it("while writing, asks for a snapshot once the updates outweigh the last one, not before", () => {
    const base = { snapshotBytes: 20_000, updatesSinceSnapshot: 4 };
    expect(shouldSnapshot(state({ ...base, updateBytesSinceSnapshot: 19_000, ownUpdateBytes: 19_000 }), policy)).toBe(false);
    expect(shouldSnapshot(state({ ...base, updateBytesSinceSnapshot: 21_000, ownUpdateBytes: 21_000 }), policy)).toBe(true);
  });

  it("when quiet, asks for one as soon as the updates weigh more than a tenth of the last snapshot", () => {
    const base = { snapshotBytes: 20_000, updatesSinceSnapshot: 2 };
    expect(shouldSnapshot(state({ ...base, updateBytesSinceSnapshot: 1_900, ownUpdateBytes: 1_900 }), policy, "quiet")).toBe(false);
    expect(shouldSnapshot(state({ ...base, updateBytesSinceSnapshot: 2_100, ownUpdateBytes: 2_100 }), policy, "quiet")).toBe(true);
    expect(shouldSnapshot(state({ ...base, updateBytesSinceSnapshot: 2_100, ownUpdateBytes: 2_100 }), policy, "writing")).toBe(false);
  });

  it("leaves the snapshot to the device that wrote at least half of the updates", () => {
    const base = { snapshotBytes: 20_000, updatesSinceSnapshot: 10, updateBytesSinceSnapshot: 30_000 };
    expect(shouldSnapshot(state({ ...base, ownUpdateBytes: 15_000 }), policy)).toBe(true);
    expect(shouldSnapshot(state({ ...base, ownUpdateBytes: 14_999 }), policy)).toBe(false);
    expect(shouldSnapshot(state({ ...base }), policy, "quiet")).toBe(false);
  });

  it("lets anyone compact a stream that grew to twice the threshold while its main writer stayed away", () => {
    expect(shouldSnapshot(state({ snapshotBytes: 20_000, updatesSinceSnapshot: 10, updateBytesSinceSnapshot: 40_001 }), policy)).toBe(true);
    expect(shouldSnapshot(state({ snapshotBytes: 20_000, updatesSinceSnapshot: 600, updateBytesSinceSnapshot: 1_000 }), policy)).toBe(true);
  });

  it("never snapshots a single first update, a deleted document or one without updates", () => {
    expect(shouldSnapshot(state({ updatesSinceSnapshot: 1, updateBytesSinceSnapshot: 9_000, ownUpdateBytes: 9_000 }), policy, "quiet")).toBe(false);
    expect(shouldSnapshot(state({ deleted: true, updatesSinceSnapshot: 5, updateBytesSinceSnapshot: 9_000, ownUpdateBytes: 9_000 }), policy)).toBe(false);
    expect(shouldSnapshot(state({ snapshotBytes: 100 }), policy, "quiet")).toBe(false);
  });
});
