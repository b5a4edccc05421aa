import type { AgentId } from "@botschat/model";
import { runAgentBackendConformance } from "../src/runAgentBackendConformance.js";
import { runSchedulerConformance } from "../src/runSchedulerConformance.js";
import { RemoteBackend } from "./RemoteBackend.js";
import { RemoteScheduler } from "./RemoteScheduler.js";
import { suite } from "./suite.js";

runAgentBackendConformance("OpenClawBackend in a real gateway", () => {
  const s = suite();
  return Promise.resolve({
    backend: new RemoteBackend(`http://127.0.0.1:${s.port}`, s.backendToken),
    actionPrompt: "Please choose a fruit",
    toolPrompt: "Please use a tool to look around",
    longPrompt: "Tell me a long story",
  });
});

// OpenClaw's cron starts a job's run on its own, so the scheduler cannot hold one back: no run
// gate. Its cron ticks are minutes; the frequent schedule is an `every 10s` job, which first
// fires one interval after it is made.
runSchedulerConformance(
  "OpenClawScheduler on a real gateway's cron",
  async () => {
    const s = suite();
    return {
      scheduler: await RemoteScheduler.open(`http://127.0.0.1:${s.port}`, s.backendToken),
      task: { name: "Conformance", timezone: "UTC", prompt: "CRON:conformance", agentId: "main" as AgentId },
      frequentSchedule: "every 10s",
      waitMs: 60_000,
    };
  },
  { runGate: false },
);
