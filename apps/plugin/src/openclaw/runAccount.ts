import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { ConnectionState, openRoot, str, type ChannelDoc, type SocketLike, type TaskId } from "@botschat/model";
import { FilePeerStorage } from "@botschat/model/node";
import { AgentPeer, type AgentPeerOptions, type PeerActivity } from "../AgentPeer.js";
import { loadIdentity } from "../loadIdentity.js";
import { cronHub } from "./cronHub.js";
import { OpenClawBackend } from "./OpenClawBackend.js";
import type { BotschatAccount } from "./openclawConfig.js";
import { OpenClawScheduler } from "./OpenClawScheduler.js";
import type { AgentEvents, ChannelGatewayContext, ChannelRuntime, OpenClawConfig } from "./openclawSdk.js";

/** Where the plugin keeps an account's documents and identity: `<state dir>/botschat/<account>`. */
export function accountDir(stateDir: string | undefined, accountId: string): string {
  const base = stateDir ?? process.env["OPENCLAW_STATE_DIR"] ?? join(homedir(), ".openclaw");
  return join(base, "botschat", accountId);
}

/** What `startAccount` is given besides the gateway context. */
export interface RunAccountOptions {
  channel: ChannelRuntime;
  config: () => OpenClawConfig;
  stateDir?: string;
  events?: AgentEvents;
  /** Extra peer options (tests shorten timings). */
  peer?: Partial<AgentPeerOptions>;
}

/**
 * One BotsChat account inside `gateway.startAccount`: an {@link AgentPeer} with the OpenClaw
 * backend and scheduler, documents under OpenClaw's state dir. Pending until `abortSignal`
 * fires, then stopped within the 5 s the gateway allows. The sync engine reconnects with its own
 * backoff; `connected` / `lastError` follow its state. Logs carry no message text or secrets.
 */
export async function runAccount(ctx: ChannelGatewayContext<BotschatAccount>, options: RunAccountOptions): Promise<void> {
  const { account, accountId, abortSignal } = ctx;
  const log = ctx.log;
  const status = (patch: Record<string, unknown>): void => ctx.setStatus({ ...ctx.getStatus(), ...patch });
  const aborted = new Promise<void>((r) => (abortSignal.aborted ? r() : abortSignal.addEventListener("abort", () => r(), { once: true })));
  if (!account.configured) {
    log?.warn(`[${accountId}] not configured: set channels.botschat.cloudUrl, pairingToken and e2ePassword`);
    status({ connected: false, lastError: "not configured" });
    await aborted;
    return;
  }
  const dir = accountDir(options.stateDir, accountId);
  const identity = await loadIdentity(dir, account.gatewayId ?? (await storedGateway(dir)) ?? `openclaw-${randomBytes(6).toString("hex")}`);
  const storage = await FilePeerStorage.open(join(dir, "store"));
  const backend = new OpenClawBackend({
    channel: options.channel,
    config: options.config,
    accountId,
    ...(options.events === undefined ? {} : { events: options.events }),
  });
  const scheduler = new OpenClawScheduler({
    hub: cronHub,
    accountId,
    config: options.config,
    ...(options.events === undefined ? {} : { events: options.events }),
  });
  const peer = new AgentPeer({
    relayUrl: account.cloudUrl,
    token: account.pairingToken,
    passphrase: account.e2ePassword,
    storage,
    gateway: identity.gateway,
    instance: identity.instance,
    name: account.name,
    backend,
    scheduler,
    socket: (url) => {
      const ws = new WebSocket(url);
      ws.on("error", () => undefined);
      return ws as unknown as SocketLike;
    },
    ...options.peer,
  });
  let connected = false;
  peer.on("status", (s) => {
    const live = s.state === ConnectionState.live;
    if (live === connected) return;
    connected = live;
    if (live) {
      log?.info(`[${accountId}] connected to ${account.cloudUrl} as gateway ${identity.gateway}`);
      status({ connected: true, lastConnectedAt: Date.now(), lastError: null });
      void pruneJobs(peer, scheduler, identity.gateway).then(
        (n) => n > 0 && log?.info(`[${accountId}] removed ${n} cron job(s) whose task is gone`),
        (e: unknown) => log?.warn(`[${accountId}] could not check the cron jobs: ${e instanceof Error ? e.message : String(e)}`),
      );
    } else {
      log?.info(`[${accountId}] disconnected${s.error ? ` (${s.error})` : ""}; reconnecting`);
      status({ connected: false, ...(s.error ? { lastError: s.error } : {}) });
    }
  });
  peer.on("failed", (f) => {
    log?.error(`[${accountId}] ${f.message}`);
    status({ connected: false, lastError: f.message });
  });
  peer.on("activity", (a) => log?.info(`[${accountId}] ${describe(a)}`));
  try {
    await peer.start();
  } catch (e) {
    await storage.close().catch(() => undefined);
    throw e;
  }
  await aborted;
  await peer.stop({ flushMs: 1500 });
  status({ connected: false });
}

/**
 * On every connection: the tagged cron jobs of tasks that are no longer live in the workspace
 * (deleted while the gateway was off, or their channel moved away) are removed. A task made but
 * not yet applied has no job yet, so nothing it needs is removed.
 */
async function pruneJobs(peer: AgentPeer, scheduler: OpenClawScheduler, gateway: string): Promise<number> {
  await peer.engine.whenSynced();
  const root = (await openRoot(peer.engine)).doc();
  const live = new Set<TaskId>();
  for (const entry of Object.values(root.channels)) {
    if (str(entry.gateway) !== gateway || entry.deleted !== undefined) continue;
    const channel = await peer.engine.find<ChannelDoc>(str(entry.doc)).catch(() => undefined);
    for (const [id, t] of Object.entries(channel?.doc().tasks ?? {})) if (t.deleted === undefined) live.add(id as TaskId);
  }
  return scheduler.prune(live);
}

async function storedGateway(dir: string): Promise<string | undefined> {
  try {
    const stored = JSON.parse(await readFile(join(dir, "agent.json"), "utf8")) as { gateway?: unknown };
    return typeof stored.gateway === "string" ? stored.gateway : undefined;
  } catch {
    return undefined;
  }
}

/** A log line for an activity; activities never carry message text. */
function describe(a: PeerActivity): string {
  switch (a.type) {
    case "published":
      return `published ${a.agents} agent(s), ${a.models} model(s)`;
    case "answering":
      return `answering in ${a.conversation} (run ${a.run})`;
    case "answered":
      return `answered (run ${a.run}, ${a.model})`;
    case "failed":
      return `reply failed (run ${a.run}): ${a.reason}`;
    case "lost":
      return `another instance answers (run ${a.run})`;
    case "interrupted":
      return `marked run ${a.run} interrupted`;
    case "task-applied":
      return a.error === undefined ? `task ${a.task} scheduled (revision ${a.revision})` : `task ${a.task} not scheduled: ${a.error}`;
    case "job-started":
      return `task ${a.task} running (job ${a.job})`;
    case "job-finished":
      return `task ${a.task} finished: ${a.status}`;
    case "problem":
      return `problem: ${a.what}`;
  }
}
