// The agent side of BotsChat: the peer core every agent runs, its two seams, and the demo agent.
// The OpenClaw plugin builds on these; `botschat-agent --demo` is src/main.ts.
export type { AgentBackend, AgentInfo, ModelChoice, SkillInfo, AgentRequest, ContextMessage, ActionChoice, AgentEvent, AgentResult } from "./AgentBackend.js";
export type { Scheduler, ScheduledTask, SchedulerRunEvent, RunGate } from "./Scheduler.js";
export { AgentPeer, PeerFailure, jobIdOf, type AgentPeerOptions, type PeerActivity, type JobTrigger } from "./AgentPeer.js";
export { describeActivity } from "./describeActivity.js";
export { slashCommand, type SlashContext } from "./slashCommand.js";
// The commands `/help` lists (shared with the web's completion).
export { SLASH_COMMANDS } from "@botschat/model";
export { DemoBackend, DEMO_MODELS, type DemoBackendOptions } from "./DemoBackend.js";
export { DemoScheduler, type TaskExecutor } from "./DemoScheduler.js";
export { backendTaskExecutor, summaryOf } from "./backendTaskExecutor.js";
export { startDemoAgent, type DemoAgentOptions } from "./startDemoAgent.js";
export { loadIdentity, type AgentIdentity } from "./loadIdentity.js";
export { taskSessionId } from "@botschat/model";
