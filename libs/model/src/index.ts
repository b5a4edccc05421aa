export type { PeerStorage, SyncTx, SyncSnapshot, DocSyncState, OutboxEntry } from "./storage/PeerStorage.js";
export { MemoryPeerStorage } from "./storage/MemoryPeerStorage.js";
export { PeerStorageAdapter } from "./storage/PeerStorageAdapter.js";
