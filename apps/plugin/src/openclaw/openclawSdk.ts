// The small part of OpenClaw's plugin SDK (openclaw@2026.9.6) this plugin uses, typed here so the
// package builds and typechecks without OpenClaw installed. The host provides the real objects.
// See /docs/decisions/006-openclaw-plugin.md.

/** `runtime.config.current()` as far as the plugin reads it. */
export interface OpenClawConfig {
  channels?: Record<string, unknown>;
  agents?: {
    list?: readonly { id?: string; name?: string; default?: boolean; model?: unknown }[];
    defaults?: { model?: { primary?: string } | string; models?: Record<string, unknown> };
  };
  models?: { providers?: Record<string, { models?: readonly { id?: string; name?: string }[] }> };
  [key: string]: unknown;
}

/** One reply payload (`deliver`). */
export interface ReplyPayload {
  text?: string;
  isError?: boolean;
  isReasoning?: boolean;
}

/** The reply options this plugin passes to the dispatcher. */
export interface ReplyOptions {
  abortSignal?: AbortSignal;
  onAgentRunStart?: (runId: string) => unknown;
  onPartialReply?: (p: { text?: string }) => void;
  onReasoningStream?: (p: { text?: string; isReasoningSnapshot?: boolean }) => void;
  onToolStart?: (p: { toolCallId?: string; itemId?: string; name?: string; phase?: string }) => void;
  onItemEvent?: (p: { toolCallId?: string; itemId?: string; kind?: string; name?: string; phase?: string; status?: string; summary?: string }) => void;
  onModelSelected?: (p: { provider?: string; model?: string }) => void;
}

/** `runtime.channel` (also `ChannelGatewayContext.channelRuntime`), the reply part. */
export interface ChannelRuntime {
  reply: {
    finalizeInboundContext(ctx: Record<string, unknown>): unknown;
    dispatchReplyWithBufferedBlockDispatcher(params: {
      ctx: unknown;
      cfg: OpenClawConfig;
      dispatcherOptions: {
        deliver: (payload: ReplyPayload, info: { kind: string }) => Promise<void> | void;
        onError?: (err: unknown, info: { kind: string }) => void;
      };
      replyOptions?: ReplyOptions;
    }): Promise<unknown>;
  };
}

/** One event of an agent run (`runtime.events.onAgentEvent`). */
export interface AgentRunEvent {
  runId: string;
  stream: string;
  sessionKey?: string;
  data: Record<string, unknown>;
}

/** `runtime.events`: every agent run's events. */
export interface AgentEvents {
  onAgentEvent(listener: (evt: AgentRunEvent) => void): () => void;
}

/** `api.runtime` as far as the plugin uses it. */
export interface PluginRuntime {
  config: { current(): OpenClawConfig };
  channel: ChannelRuntime;
  events?: AgentEvents;
  state?: { resolveStateDir?: () => string };
}

/** A channel-scoped logger. */
export interface ChannelLog {
  info: (m: string) => void;
  warn: (m: string) => void;
  error: (m: string) => void;
  debug?: (m: string) => void;
}

/** `ChannelGatewayContext<A>` as far as the plugin uses it. */
export interface ChannelGatewayContext<A> {
  cfg: OpenClawConfig;
  accountId: string;
  account: A;
  abortSignal: AbortSignal;
  log?: ChannelLog;
  getStatus(): Record<string, unknown>;
  setStatus(snapshot: Record<string, unknown>): void;
  channelRuntime?: ChannelRuntime;
}

/** A stored cron job, as `list` answers it. */
export interface CronJob {
  id: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  agentId?: string;
  schedule?: unknown;
  payload?: unknown;
  state?: { nextRunAtMs?: number; runningAtMs?: number };
}

/** `ctx.getCron()` of a plugin service. */
export interface CronService {
  list(opts?: { includeDisabled?: boolean }): Promise<CronJob[]>;
  add(input: Record<string, unknown>): Promise<unknown>;
  update(id: string, patch: Record<string, unknown>): Promise<unknown>;
  remove(id: string): Promise<{ removed?: boolean }>;
}

/** A `cron_changed` event (the fields the plugin reads). */
export interface CronChangedEvent {
  action?: string;
  jobId?: string;
  status?: string;
  summary?: string;
  error?: string;
  runAtMs?: number;
  durationMs?: number;
  sessionKey?: string;
  model?: string;
  provider?: string;
  job?: CronJob;
}

/** An HTTP route of a plugin. */
export interface HttpRoute {
  path: string;
  auth: "gateway" | "plugin";
  match?: "exact" | "prefix";
  handler: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<boolean | void> | boolean | void;
}

/** `OpenClawPluginApi` as far as the plugin uses it. */
export interface PluginApi {
  id: string;
  runtime: PluginRuntime;
  pluginConfig?: Record<string, unknown>;
  logger: ChannelLog;
  on(hook: string, handler: (event: never, ctx?: unknown) => unknown): void;
  registerService(service: {
    id: string;
    start: (ctx: { getCron?: () => CronService | undefined }) => void | Promise<void>;
    stop?: () => void | Promise<void>;
  }): void;
  registerHttpRoute(route: HttpRoute): void;
}
