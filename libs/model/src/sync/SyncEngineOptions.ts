import type { DocumentId } from "@automerge/automerge-repo";
import type { CreateVaultOptions, EphPayload } from "@botschat/crypto";
import type { PeerInfo } from "@botschat/protocol";
import type { PeerStorage } from "../storage/PeerStorage.js";
import type { Backoff } from "./Backoff.js";
import { MAX_IN_FLIGHT } from "./Outbox.js";
import type { SyncStatus } from "./ConnectionState.js";
import type { SocketFactory } from "./SocketLike.js";
import type { SyncLogEntry } from "./SyncLog.js";

/** How the engine reaches the relay and where it keeps its copy. */
export interface SyncEngineOptions {
  /** The relay's base URL, `http(s)://host:port`. */
  relayUrl: string;
  /** A session token (browser; may create the vault) or a pairing token (plugin). */
  token: string;
  storage: PeerStorage;
  /** Opens a WebSocket: the browser's `WebSocket`, or the `ws` package in Node. */
  socket: SocketFactory;
  /** Shown to the user's other devices in `peers`. */
  label?: string;
  /**
   * A local change goes at once when nothing of this device awaits an ack; while appends do,
   * changes gather until the acks come, at most this long. Default 40 ms.
   */
  debounceMs?: number;
  /** A snapshot is written after this many updates to a document. Default 300. */
  snapshotAfterUpdates?: number;
  /** Updates must also outweigh the last snapshot by this many bytes before a snapshot. Default 4096. */
  snapshotMinBytes?: number;
  /**
   * A document this device has open is compacted once nothing changed it for this long (and
   * after each catch-up), when its updates since the last snapshot weigh more than
   * `compactRatio` of that snapshot and this device wrote most of them. Default 10 s.
   */
  compactQuietMs?: number;
  /** See `compactQuietMs`. Default 0.1: a quiet document costs the relay ≤ 1.1 × one save (DESIGN.md "Budgets"). */
  compactRatio?: number;
  /** Argon2id cost of a vault this engine creates (tests lower it). */
  vaultOptions?: CreateVaultOptions;
  backoff?: Backoff;
  /** The fetch used for `PUT /api/me/vault`. Default: the global one. */
  fetch?: typeof fetch;
  /** Appends sent but not yet acknowledged, at most. Default 64. */
  maxInFlight?: number;
  /**
   * A document that is not loaded gets one stored chunk per entry; once it has this many (and
   * they weigh a quarter of the last merged chunk), they are merged into one. Default 32.
   */
  mergeStoredChunksAfter?: number;
  /**
   * Loaded documents kept in memory, at most: beyond it, the least recently used ones that are
   * clean and not in use are let go of (as {@link SyncEngine.release} does; a later `find` loads
   * them again). In use means: someone listens to the handle (a `change` listener of a view),
   * it was used in the last `evictAfterIdleMs`, or it has updates waiting for their quiet
   * compaction. A handle let go of throws on `doc()` and `change()`: code that keeps a handle
   * across a long wait without listening to it must `find` it again. Default: no bound (set one
   * in a long-running app, e.g. 100 in the browser).
   */
  maxLoadedDocuments?: number;
  /** See `maxLoadedDocuments`. Default 10 s. */
  evictAfterIdleMs?: number;
}

/** What a `remote` event says about the document besides its id. */
export interface RemoteInfo {
  /**
   * Whether the document is loaded on this device (an open handle, whose `change` event fires
   * too). When false, the entry was only stored: nothing is in memory, and a listener that calls
   * `find` for it loads it — do that only for a document the user is looking at, or the lazy
   * catch-up loads the whole workspace.
   */
  loaded: boolean;
  /** Whether the entry deleted the document (a tombstone, [S4]). */
  deleted: boolean;
}

export interface EphEvent {
  /** The repo document id the frame concerns. */
  doc: DocumentId;
  payload: EphPayload;
}

export interface EngineEvents {
  status: (status: SyncStatus) => void;
  log: (entry: SyncLogEntry) => void;
  eph: (event: EphEvent) => void;
  peers: (peers: PeerInfo[]) => void;
  /**
   * A document arrived, changed or was deleted by another device — also one that is not loaded
   * here (see {@link RemoteInfo.loaded} before calling `find` for it).
   */
  remote: (doc: DocumentId, info: RemoteInfo) => void;
}

const DEFAULTS = {
  debounceMs: 40,
  snapshotAfterUpdates: 300,
  snapshotMinBytes: 4096,
  compactQuietMs: 10_000,
  compactRatio: 0.1,
  maxInFlight: MAX_IN_FLIGHT,
  mergeStoredChunksAfter: 32,
  maxLoadedDocuments: Number.POSITIVE_INFINITY,
  evictAfterIdleMs: 10_000,
};

/** The options with every default filled in. */
export type ResolvedEngineOptions = SyncEngineOptions & typeof DEFAULTS;

export function withDefaults(options: SyncEngineOptions): ResolvedEngineOptions {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...set } as ResolvedEngineOptions;
}
