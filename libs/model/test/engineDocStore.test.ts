import { runDocStoreConformance } from "../src/docs/runDocStoreConformance.js";
import type { SyncEngine } from "../src/sync/SyncEngine.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { isLive, until } from "./peers.js";

const fx = memoryRelayFixture();

// The sync engine is the DocStore the apps use: it must behave like the in-memory one.
runDocStoreConformance("SyncEngine", {
  make: async () => {
    const { token } = await fx.register();
    const peer = await fx.peer(token);
    await peer.engine.unlock("conformance");
    await until(() => isLive(peer), "engine live");
    return peer.engine;
  },
  close: async (store) => {
    await (store as SyncEngine).stop();
  },
});
