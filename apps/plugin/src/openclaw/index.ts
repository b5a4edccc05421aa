// The OpenClaw plugin entry (`openclaw.extensions` of the package): the `botschat` channel, the
// cron service and hooks the task scheduler uses, and the opt-in backend route.
import { defineChannelPluginEntry } from "openclaw/plugin-sdk/channel-core";
import { botschatChannel, pluginRuntime } from "./channelPlugin.js";
import { conformanceRoute } from "./conformanceRoute.js";
import { cronHub } from "./cronHub.js";
import { OpenClawBackend } from "./OpenClawBackend.js";
import type { CronChangedEvent, PluginApi, PluginRuntime } from "./openclawSdk.js";

export default defineChannelPluginEntry({
  id: "botschat",
  name: "BotsChat",
  description: "BotsChat: an end-to-end encrypted chat workspace served by this gateway.",
  plugin: botschatChannel,
  setRuntime: (runtime: PluginRuntime) => {
    pluginRuntime.current = runtime;
  },
  registerFull: (api: PluginApi) => {
    api.on("cron_changed", (event: CronChangedEvent) => cronHub.changed(event));
    api.registerService({
      id: "botschat-cron",
      start: (ctx) => cronHub.setService(ctx.getCron?.()),
      stop: () => cronHub.setService(undefined),
    });
    const token = api.pluginConfig?.["backendRouteToken"];
    if (typeof token === "string" && token.length >= 16) {
      const backend = new OpenClawBackend({
        channel: api.runtime.channel,
        config: () => api.runtime.config.current(),
        accountId: "conformance",
        ...(api.runtime.events === undefined ? {} : { events: api.runtime.events }),
      });
      api.registerHttpRoute(conformanceRoute(token, () => backend));
    }
  },
});
