import { ACTION_HINTS } from "./actionBlocks.js";
import { outboundMailbox } from "./outboundMailbox.js";
import { CHANNEL_ID, resolveAccount, type BotschatAccount } from "./openclawConfig.js";
import type { ChannelGatewayContext, OpenClawConfig, PluginRuntime } from "./openclawSdk.js";
import { runAccount } from "./runAccount.js";

/** Holds the host's runtime (`setRuntime` of the entry). */
export const pluginRuntime: { current?: PluginRuntime } = {};

/**
 * The `botschat` channel: one account from `channels.botschat`, served by an agent peer inside
 * `gateway.startAccount`. OpenClaw's own sends to the channel go to a turn waiting for them
 * ({@link outboundMailbox}) or nowhere: BotsChat replies travel as documents, and tasks record
 * their own jobs.
 */
export const botschatChannel = {
  id: CHANNEL_ID,
  meta: {
    id: CHANNEL_ID,
    label: "BotsChat",
    selectionLabel: "BotsChat",
    docsPath: "/channels/botschat",
    blurb: "End-to-end encrypted BotsChat workspace through a relay.",
  },
  capabilities: { chatTypes: ["direct", "thread"] },
  reload: { configPrefixes: [`channels.${CHANNEL_ID}`] },
  config: {
    listAccountIds: (): string[] => ["default"],
    resolveAccount: (cfg: OpenClawConfig, accountId?: string | null): BotschatAccount => resolveAccount(cfg, accountId),
    inspectAccount: (cfg: OpenClawConfig) => {
      const a = resolveAccount(cfg);
      return { enabled: a.enabled, configured: a.configured };
    },
    isEnabled: (a: BotschatAccount) => a.enabled,
    isConfigured: (a: BotschatAccount) => a.configured,
    describeAccount: (a: BotschatAccount) => ({ accountId: a.accountId, name: a.name, enabled: a.enabled, configured: a.configured, baseUrl: a.cloudUrl }),
  },
  agentPrompt: { messageToolHints: () => [...ACTION_HINTS] },
  outbound: {
    deliveryMode: "direct",
    resolveTarget: ({ to }: { to?: string }) => ({ ok: true, to: to?.trim() || "default" }),
    sendText: (ctx: { to: string; text: string; accountId?: string | null }) => {
      outboundMailbox.deliver(ctx.accountId ?? "default", ctx.to, ctx.text);
      return Promise.resolve({ channel: CHANNEL_ID, messageId: `bc-out-${Date.now().toString(36)}` });
    },
  },
  status: { defaultRuntime: { accountId: "default", running: false, connected: false, lastError: null } },
  gateway: {
    startAccount: async (ctx: ChannelGatewayContext<BotschatAccount>): Promise<void> => {
      const runtime = pluginRuntime.current;
      const channel = ctx.channelRuntime ?? runtime?.channel;
      if (channel === undefined) throw new Error("the OpenClaw channel runtime is missing");
      await runAccount(ctx, {
        channel,
        config: () => runtime?.config.current() ?? ctx.cfg,
        ...(runtime?.events === undefined ? {} : { events: runtime.events }),
        ...(runtime?.state?.resolveStateDir === undefined ? {} : { stateDir: runtime.state.resolveStateDir() }),
      });
    },
  },
};
