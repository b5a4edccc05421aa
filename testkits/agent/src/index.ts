// Helpers for suites that run `botschat-agent` as a process (the demo agent).
export * from "./agentProcess.js";
