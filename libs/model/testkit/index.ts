// Engine helpers for suites and benchmarks of any package that syncs through a real relay:
// a started engine, one waitFor, and a workspace written in bulk. Node only (`ws`).
export * from "./startBenchEngine.js";
export * from "./waitFor.js";
export * from "./writeWorkspace.js";
