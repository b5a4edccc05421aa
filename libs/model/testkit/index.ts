// Engine helpers for suites and benchmarks of any package: a started engine over `ws` and a real
// relay, one waitFor, a workspace written in bulk (Node only), and MemoryRelay, an in-process
// relay behind the engine's socket seam (runtime-neutral).
export * from "./startBenchEngine.js";
export * from "./waitFor.js";
export * from "./writeWorkspace.js";
export * from "./memoryRelay/index.js";
