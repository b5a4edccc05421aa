import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import {
  ConnectionState,
  createChannel,
  createSession,
  MemoryPeerStorage,
  openRoot,
  str,
  SyncEngine,
  type AgentId,
  type ChannelDoc,
  type JobLogDoc,
  type JobRecord,
  type TaskId,
  type DeviceActor,
  type DeviceId,
  type DocumentId,
  type EphEvent,
  type GatewayId,
  type MessageDoc,
  type MessageId,
  type MessageRecord,
  type SocketLike,
} from "@botschat/model";
import { createPairingToken, register } from "@botschat/relay-testkit";
import { AgentPeer, type AgentPeerOptions } from "../src/AgentPeer.js";
import { backendTaskExecutor } from "../src/backendTaskExecutor.js";
import { DemoBackend } from "../src/DemoBackend.js";
import { DemoScheduler } from "../src/DemoScheduler.js";

/** Argon2id at libsodium's minimum, so tests do not spend seconds per vault. */
export const FAST_VAULT = { ops: 1, mem: 8192 * 1024 };
export const PASSPHRASE = "plugin test passphrase";

/** Waits until `cond` holds, checking every 20 ms; fails after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A person's device on a fresh account: unlocked (it made the vault), live, recording eph frames. */
export interface Device {
  relayUrl: string;
  session: string;
  engine: SyncEngine;
  me: DeviceActor;
  eph: EphEvent[];
  /** A new pairing token of this account. */
  pairingToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A device on a fresh account (it makes the vault), or, given `sameAccount` (a device, or just an
 * account's session token), another device of that account, caught up before it is handed out.
 */
export async function startDevice(relayUrl: string, sameAccount?: Pick<Device, "session">): Promise<Device> {
  await ready();
  const token = sameAccount?.session ?? (await register(relayUrl)).token;
  const engine = new SyncEngine({
    relayUrl,
    token,
    storage: new MemoryPeerStorage(),
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    vaultOptions: FAST_VAULT,
    debounceMs: 5,
  });
  const eph: EphEvent[] = [];
  engine.on("eph", (e) => eph.push(e));
  await engine.start();
  await engine.unlock(PASSPHRASE);
  await until(() => engine.getStatus().state === ConnectionState.live, "the device to be live");
  if (sameAccount !== undefined) await engine.whenSynced();
  return {
    relayUrl,
    session: token,
    engine,
    me: { device: "d_testdevice0001" as DeviceId },
    eph,
    pairingToken: async () => (await createPairingToken(relayUrl, token)).token,
    stop: () => engine.stop(),
  };
}

/** A demo agent in this process (documents in memory) with a real croner scheduler. */
export async function startAgent(
  device: Device,
  opts: { gateway?: string; instance?: string; token?: string; delayMs?: number; peer?: Partial<AgentPeerOptions> } = {},
): Promise<{ peer: AgentPeer; scheduler: DemoScheduler; backend: DemoBackend }> {
  const backend = new DemoBackend({ delayMs: opts.delayMs ?? 0 });
  const scheduler = new DemoScheduler(backendTaskExecutor(backend));
  const peer = new AgentPeer({
    relayUrl: device.relayUrl,
    token: opts.token ?? (await device.pairingToken()),
    passphrase: PASSPHRASE,
    storage: new MemoryPeerStorage(),
    gateway: (opts.gateway ?? "gw-test") as GatewayId,
    instance: opts.instance ?? "i1",
    name: "Test demo agent",
    backend,
    scheduler,
    engine: { debounceMs: 5 },
    ...opts.peer,
  });
  await peer.start();
  return { peer, scheduler, backend };
}

/** Where {@link channelWithSession} binds its channel, and what it names things. */
export interface ChannelSpec {
  gateway?: string;
  agentId?: string;
  name?: string;
  title?: string;
  /** How long the gateway may take to publish itself. */
  publishMs?: number;
}

/**
 * Waits for the gateway to publish, then makes a channel bound to one of its agents (the demo
 * agent's `demo` unless told) with one session.
 */
export async function channelWithSession(device: Device, spec: string | ChannelSpec = {}) {
  const { gateway = "gw-test", agentId = "demo", name = "Demo", title = "First", publishMs } = typeof spec === "string" ? { gateway: spec } : spec;
  await until(async () => (await openRoot(device.engine)).doc().gateways[gateway as GatewayId] !== undefined, "the gateway to publish", publishMs);
  const channel = await createChannel(device.engine, device.me, { name, gateway: gateway as GatewayId, agentId: agentId as AgentId });
  const session = await createSession(device.engine, device.me, { channelDoc: channel.doc, title });
  return { channel, ...session };
}

/** The agent replies to a message, as the device sees them (every reply record, losing ones too). */
export async function repliesTo(device: Device, doc: DocumentId, message: MessageId): Promise<MessageRecord[]> {
  if (!device.engine.has(doc)) return [];
  const d = (await device.engine.find<MessageDoc>(doc)).doc();
  return Object.values(d.messages).filter((m) => str(m.replyTo) === message && str(m.role) === "agent");
}

/** Every job of a task the device holds, across its monthly logs. */
export async function jobsOf(device: Device, channelDoc: DocumentId, task: TaskId): Promise<JobRecord[]> {
  const entry = (await device.engine.find<ChannelDoc>(channelDoc)).doc().tasks[task];
  const out: JobRecord[] = [];
  for (const doc of Object.values(entry?.jobLogs ?? {})) {
    if (device.engine.has(str(doc))) out.push(...Object.values((await device.engine.find<JobLogDoc>(str(doc))).doc().jobs));
  }
  return out;
}
