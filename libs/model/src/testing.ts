// Test helpers for @botschat/model's users and its own implementations; they import vitest, so
// they live apart from the main entry point.
export { runPeerStorageConformance, type PeerStorageFixture } from "./storage/runPeerStorageConformance.js";
export { testWorkspace, testDevice, testGateway, tickingClock, type TestWorkspace } from "./ops/testWorkspace.js";
export { runDocStoreConformance, type DocStoreFixture } from "./docs/runDocStoreConformance.js";
