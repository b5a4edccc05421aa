import type { AgentId, ModelId } from "@botschat/model";
import type { AgentInfo, ModelChoice } from "../AgentBackend.js";
import type { OpenClawConfig } from "./openclawSdk.js";

/** The channel id, in OpenClaw's config (`channels.botschat`) and its session keys. */
export const CHANNEL_ID = "botschat";

/** `channels.botschat` as the manifest's schema allows it. */
export interface BotschatAccount {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  cloudUrl: string;
  pairingToken: string;
  e2ePassword: string;
  name: string;
  gatewayId?: string;
}

/** The account in `channels.botschat` (one account, `default`). */
export function resolveAccount(cfg: OpenClawConfig, accountId?: string | null): BotschatAccount {
  const s = (cfg.channels?.[CHANNEL_ID] ?? {}) as Record<string, unknown>;
  const text = (k: string): string => (typeof s[k] === "string" ? (s[k] as string).trim() : "");
  const cloudUrl = text("cloudUrl");
  const pairingToken = text("pairingToken");
  const e2ePassword = typeof s["e2ePassword"] === "string" ? (s["e2ePassword"] as string) : "";
  return {
    accountId: accountId ?? "default",
    enabled: s["enabled"] !== false,
    configured: cloudUrl !== "" && pairingToken !== "" && e2ePassword !== "",
    cloudUrl,
    pairingToken,
    e2ePassword,
    name: text("name") || "OpenClaw",
    ...(text("gatewayId") === "" ? {} : { gatewayId: text("gatewayId") }),
  };
}

/** The agents of `agents.list`, or OpenClaw's implicit `main` agent. */
export function agentsOf(cfg: OpenClawConfig): AgentInfo[] {
  const list = (cfg.agents?.list ?? []).filter((a) => typeof a.id === "string" && a.id !== "");
  if (list.length === 0) return [{ id: "main" as AgentId, name: "Main" }];
  return list.map((a) => ({ id: a.id as AgentId, name: a.name ?? a.id! }));
}

/** The default model (`agents.defaults.model.primary`). */
export function defaultModelOf(cfg: OpenClawConfig): ModelId | undefined {
  const m = cfg.agents?.defaults?.model;
  const id = typeof m === "string" ? m : m?.primary;
  return id === undefined || id === "" ? undefined : (id as ModelId);
}

/**
 * The models a person may choose: the allowlist `agents.defaults.models` (or, without one, every
 * model of `models.providers`), the default first among equals and marked `default`.
 */
export function modelsOf(cfg: OpenClawConfig): ModelChoice[] {
  const names = new Map<string, string>();
  for (const [provider, p] of Object.entries(cfg.models?.providers ?? {})) {
    for (const m of p.models ?? []) if (m.id !== undefined) names.set(`${provider}/${m.id}`, m.name ?? m.id);
  }
  const allowed = Object.keys(cfg.agents?.defaults?.models ?? {});
  const ids = allowed.length > 0 ? allowed : [...names.keys()];
  const def = defaultModelOf(cfg) ?? ids[0];
  if (def !== undefined && !ids.includes(def)) ids.unshift(def);
  return ids.map((id) => {
    const name = names.get(id);
    return { id: id as ModelId, ...(name === undefined ? {} : { name }), ...(id === def ? { default: true } : {}) };
  });
}

/**
 * Why `model` may not be used on this gateway, or undefined when it is one of {@link modelsOf}.
 * A model id comes from a document (a message's or a task's choice) and goes into what OpenClaw
 * runs with the person's authority, so it is checked against the gateway's own list first.
 */
export function unofferedModel(cfg: OpenClawConfig, model: ModelId | undefined): string | undefined {
  if (model === undefined) return undefined;
  const offered = modelsOf(cfg);
  if (offered.some((m) => m.id === model)) return undefined;
  return `This gateway does not offer the model “${model}”. Choose one of: ${offered.map((m) => m.id).join(", ")}.`;
}

/** The stable OpenClaw session key of one backend conversation of an agent. */
export function sessionKeyOf(agentId: string, accountId: string, conversation: string): string {
  return `agent:${agentId}:${CHANNEL_ID}:${accountId}:${conversation}`;
}
