// Helpers for suites and benchmarks that run the real relay: its process, its REST API and a raw
// sync client. Nothing here imports the model or crypto: the relay's own tests use it too.
export * from "./api.js";
export * from "./relayProcess.js";
export * from "./syncClient.js";
export * from "./hostile.js";
export * from "./readRss.js";
export * from "./startBenchRelay.js";
export * from "./startRelayForBench.js";
export { workspaceRoot, relayDir, agentDir } from "./workspacePaths.js";
