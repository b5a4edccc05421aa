import { runStorageAdapterTests } from "@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js";
import { MemoryPeerStorage } from "./MemoryPeerStorage.js";
import { PeerStorageAdapter } from "./PeerStorageAdapter.js";

// automerge-repo's own acceptance suite for storage adapters, over the bridge. It expects
// loadRange in insertion order, which MemoryPeerStorage happens to keep (PeerStorage does not
// promise an order; the Repo does not rely on one), so it runs here over memory only.
runStorageAdapterTests(async () => ({ adapter: new PeerStorageAdapter(new MemoryPeerStorage()) }), "PeerStorageAdapter over MemoryPeerStorage");
