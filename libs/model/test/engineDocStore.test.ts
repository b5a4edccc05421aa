import { afterAll, beforeAll } from "vitest";
import { runDocStoreConformance } from "../src/docs/runDocStoreConformance.js";
import type { SyncEngine } from "../src/sync/SyncEngine.js";
import { register, type RelayProcess, startRelay } from "@botschat/relay-testkit";
import { isLive, startPeer, until } from "./peers.js";

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  await relay?.stop();
});

// The sync engine is the DocStore the apps use: it must behave like the in-memory one.
runDocStoreConformance("SyncEngine", {
  make: async () => {
    const { token } = await register(relay.url);
    const peer = await startPeer(relay.url, token);
    await peer.engine.unlock("conformance");
    await until(() => isLive(peer), "engine live");
    return peer.engine;
  },
  close: async (store) => {
    await (store as SyncEngine).stop();
  },
});
