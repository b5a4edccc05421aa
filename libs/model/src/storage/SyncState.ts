import { copyBytes } from "./checkSyncTx.js";
import type { DocSyncState, OutboxEntry, SyncSnapshot, SyncTx } from "./PeerStorage.js";

/**
 * The sync state as the memory and file stores hold it: like {@link SyncSnapshot}, but with the
 * outbox as a `Map`, whose insertion order and in-place `set` are exactly the outbox rules of
 * {@link SyncTx}.
 */
export interface SyncState {
  cursor: number;
  docs: Map<string, DocSyncState>;
  outbox: Map<string, OutboxEntry>;
  meta: Map<string, Uint8Array>;
}

/** The state of a new peer: cursor 0 and nothing else. */
export function emptySyncState(): SyncState {
  return { cursor: 0, docs: new Map(), outbox: new Map(), meta: new Map() };
}

/**
 * Applies a transaction already checked by `checkSyncTx` in the order {@link SyncTx} defines.
 * Never throws on checked input, so a caller may apply straight to its live state.
 */
export function applySyncTx(state: SyncState, tx: SyncTx): void {
  for (const [id, doc] of tx.docs ?? []) state.docs.set(id, doc);
  for (const id of tx.dropDocs ?? []) state.docs.delete(id);
  for (const id of tx.outboxRemove ?? []) state.outbox.delete(id);
  for (const entry of tx.outboxAdd ?? []) state.outbox.set(entry.id, entry);
  for (const [key, value] of tx.meta ?? []) {
    if (value === null) state.meta.delete(key);
    else state.meta.set(key, value);
  }
  if (tx.cursor !== undefined) state.cursor = tx.cursor;
}

function copyDoc(d: DocSyncState): DocSyncState {
  return { ...d, stream: copyBytes(d.stream), knownHeads: [...d.knownHeads] };
}

function copyEntry(e: OutboxEntry): OutboxEntry {
  return { ...e, stream: copyBytes(e.stream), body: copyBytes(e.body) };
}

/** A deep copy of `state` in the shape `loadSync` returns. */
export function syncSnapshotOf(state: SyncState): SyncSnapshot {
  return {
    cursor: state.cursor,
    docs: new Map([...state.docs].map(([id, d]) => [id, copyDoc(d)])),
    outbox: [...state.outbox.values()].map(copyEntry),
    meta: new Map([...state.meta].map(([k, v]) => [k, copyBytes(v)])),
  };
}
