// The OpenClaw plugin entry (`openclaw.extensions` of the package): the `botschat` channel, the
// cron service and hooks the task scheduler uses, and the opt-in test routes (backend and scheduler).
import { defineChannelPluginEntry } from "openclaw/plugin-sdk/channel-core";
import { botschatChannel, pluginRuntime } from "./channelPlugin.js";
import { conformanceRoute } from "./conformanceRoute.js";
import { cronHub } from "./cronHub.js";
import { OpenClawBackend } from "./OpenClawBackend.js";
import { OpenClawScheduler } from "./OpenClawScheduler.js";
import type { CronChangedEvent, PluginApi, PluginRuntime } from "./openclawSdk.js";
import { schedulerRoute } from "./schedulerRoute.js";

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
    // The test bridges exist only when the token is configured (it is unset by default).
    const token = api.pluginConfig?.["backendRouteToken"];
    if (typeof token === "string" && token.length >= 16) {
      const events = api.runtime.events === undefined ? {} : { events: api.runtime.events };
      const config = () => api.runtime.config.current();
      const backend = new OpenClawBackend({ channel: api.runtime.channel, config, accountId: "conformance", ...events });
      api.registerHttpRoute(conformanceRoute(token, () => backend));
      api.registerHttpRoute(schedulerRoute(token, (accountId) => new OpenClawScheduler({ hub: cronHub, accountId, config, ...events })));
    }
  },
});
