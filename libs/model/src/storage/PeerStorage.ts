/**
 * One message waiting to be appended to the relay: an encrypted change batch or snapshot of one
 * document, persisted before it is sent so a restart never loses it (PROTOCOL.md section 4).
 */
export interface OutboxEntry {
  /** Stable id of the append; the relay uses it to drop a retried duplicate. */
  id: string;
  /** The document the entry belongs to. */
  doc: string;
  /** The stream the entry is appended to. */
  stream: Uint8Array;
  kind: "update" | "snapshot";
  /** The encrypted envelope, exactly as it will be sent. */
  body: Uint8Array;
  /** For a snapshot: the sequence number of the last entry it supersedes. */
  covers?: number;
  /** When the entry was queued (ms since the epoch). */
  createdAt: number;
}

/** What a peer remembers about one document's stream on the relay. */
export interface DocSyncState {
  stream: Uint8Array;
  /** The Automerge heads this peer knows the relay already holds. */
  knownHeads: string[];
  /** The last relay sequence number applied for this document. */
  lastSeq: number;
  updatesSinceSnapshot: number;
  updateBytesSinceSnapshot: number;
  snapshotBytes: number;
  /**
   * Bytes of the updates since the last snapshot that this device wrote (absent in states
   * stored before it was kept: the engine then counts them all as its own, as it did then).
   * Decides which device compacts the stream.
   */
  ownUpdateBytes?: number;
  /** Set once the document is tombstoned. */
  deleted?: boolean;
}

/** Everything {@link PeerStorage.loadSync} returns: the sync state as of the last commit. */
export interface SyncSnapshot {
  /** The relay log position this peer has applied up to; 0 for a new peer. */
  cursor: number;
  docs: Map<string, DocSyncState>;
  /** Pending appends, in the order they were added. */
  outbox: OutboxEntry[];
  /** Small named values the engine keeps beside the sync state (vault check, device id, …). */
  meta: Map<string, Uint8Array>;
}

/**
 * One atomic change to the sync state. Every field is optional; an empty transaction changes
 * nothing. The parts apply in this order, so their combinations are well defined:
 *
 * 1. `docs`: each `[docId, state]` inserts or replaces that document's state;
 * 2. `dropDocs`: each id is removed (after the upserts: upsert and drop of one id drops it);
 * 3. `outboxRemove`: each id is removed from the outbox (an unknown id is ignored);
 * 4. `outboxAdd`: each entry is appended to the end of the outbox in array order; an entry whose
 *    id is still in the outbox replaces it in place, keeping its position — so removing and adding
 *    one id in the same transaction moves it to the end;
 * 5. `meta`: each `[key, value]` sets the key, or deletes it when the value is `null`;
 * 6. `cursor`: replaces the cursor.
 *
 * @example
 * ```ts
 * // An entry was acknowledged at seq 42: forget it and advance in one step.
 * await storage.commit({ outboxRemove: [entry.id], cursor: 42, docs: [[entry.doc, nextState]] });
 * ```
 */
export interface SyncTx {
  cursor?: number;
  docs?: [string, DocSyncState][];
  dropDocs?: string[];
  outboxAdd?: OutboxEntry[];
  outboxRemove?: string[];
  meta?: [string, Uint8Array | null][];
}

/**
 * A peer's local store: automerge-repo's document chunks plus the sync engine's state (relay
 * cursor, per-document stream state, outbox, meta), in one place per workspace.
 *
 * Implementations: `MemoryPeerStorage` (tests, ephemeral peers), `IndexedDbPeerStorage`
 * (browser, `@botschat/model/dom`) and `FilePeerStorage` (Node, `@botschat/model/node`); all of
 * them pass `runPeerStorageConformance` (`@botschat/model/testing`). Wrap one in
 * `PeerStorageAdapter` to give it to a `Repo`.
 *
 * Values go in and come out as `Uint8Array` (never a Node `Buffer`); a value read back is a copy,
 * so mutating it changes nothing stored, and mutating a value after saving it does not change what
 * was saved. After {@link PeerStorage.close} every method rejects.
 */
export interface PeerStorage {
  /** The chunk saved under exactly `key`, or `undefined`. */
  load(key: string[]): Promise<Uint8Array | undefined>;
  /** Saves (or overwrites) the chunk under `key`. */
  save(key: string[], data: Uint8Array): Promise<void>;
  /** Removes the chunk under `key`; removing a missing key does nothing. */
  remove(key: string[]): Promise<void>;
  /**
   * Every chunk whose key starts with `prefix`, compared segment by segment (`["a"]` matches
   * `["a"]` and `["a", "b"]` but not `["ab"]`; `[]` matches everything), in no particular order.
   * Same semantics as automerge-repo's `StorageAdapterInterface.loadRange`.
   */
  loadRange(prefix: string[]): Promise<{ key: string[]; data: Uint8Array | undefined }[]>;
  /** Removes every chunk {@link PeerStorage.loadRange} would return for `prefix`. */
  removeRange(prefix: string[]): Promise<void>;
  /** The sync state as of the last completed commit (a copy the caller may keep). */
  loadSync(): Promise<SyncSnapshot>;
  /**
   * Applies `tx` atomically: when the promise resolves the change is durable, and after a crash
   * at any point (a killed process, a torn last write) the state is either entirely before or
   * entirely after it. Commits apply in the order they are called. A malformed transaction
   * rejects with a `TypeError` and changes nothing.
   */
  commit(tx: SyncTx): Promise<void>;
  /** Deletes everything, chunks and sync state (sign-out "wipe this device"); the store stays usable. */
  clear(): Promise<void>;
  /** Releases the store's resources; later calls reject. */
  close(): Promise<void>;
}
