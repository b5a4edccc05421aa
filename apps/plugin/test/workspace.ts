import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import {
  ConnectionState,
  EphType,
  foldAgentStream,
  foldJobStream,
  readEphFrame,
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
  type SocketFactory,
  type SocketLike,
  type AgentStreamState,
  type JobStreamState,
} from "@botschat/model";
import type { MemoryRelay } from "@botschat/model/testkit";
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

/** A device's or an agent's network connection to a {@link TestRelay}: its socket factory and `fetch`. */
export interface Connection {
  socket: SocketFactory;
  fetch?: typeof fetch;
}

/**
 * The relay the test devices and agents use: the relay process (given by its URL, see
 * {@link processRelay}) or a MemoryRelay in this process ({@link memoryTestRelay}). Agent and
 * device tests that need a relay only as a transport run on MemoryRelay; what needs processes
 * (the agent's CLI) or the relay's own features (blobs) runs on the relay process.
 */
export interface TestRelay {
  /** The relay's base URL (the engine's `relayUrl`). */
  url: string;
  /** Registers a new account; answers its session token. */
  register(): Promise<{ token: string }>;
  createPairingToken(sessionToken: string): Promise<{ id: string; token: string }>;
  /** A new network connection (one per device or agent). */
  connection(name: string): Connection;
}

const wsSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

/** The relay process at `url`, reached over `ws` and the global `fetch`. */
export function processRelay(url: string): TestRelay {
  return {
    url,
    register: () => register(url),
    createPairingToken: (sessionToken) => createPairingToken(url, sessionToken),
    connection: () => ({ socket: wsSocket }),
  };
}

/** A MemoryRelay (libs/model/testkit), each device and agent on a line of its own. */
export function memoryTestRelay(relay: MemoryRelay): TestRelay {
  return {
    url: relay.url,
    register: async () => relay.register(),
    createPairingToken: async (sessionToken) => relay.createPairingToken(sessionToken),
    connection: (name) => {
      const line = relay.line(name);
      return { socket: line.socket, fetch: line.fetch };
    },
  };
}

const asTestRelay = (relay: string | TestRelay): TestRelay => (typeof relay === "string" ? processRelay(relay) : relay);

/** A person's device on a fresh account: unlocked (it made the vault), live, recording eph frames. */
export interface Device {
  relayUrl: string;
  /** The relay it is on (agents of the same workspace use it too). */
  relay: TestRelay;
  session: string;
  engine: SyncEngine;
  me: DeviceActor;
  eph: EphEvent[];
  /** A new pairing token of this account. */
  pairingToken(): Promise<string>;
  stop(): Promise<void>;
}

let devices = 0;

/**
 * A device on a fresh account (it makes the vault), or, given `sameAccount` (a device, or just an
 * account's session token), another device of that account, caught up before it is handed out.
 * `relay` is the relay process's URL or a {@link TestRelay}.
 */
export async function startDevice(relay: string | TestRelay, sameAccount?: Pick<Device, "session">): Promise<Device> {
  await ready();
  const on = asTestRelay(relay);
  const token = sameAccount?.session ?? (await on.register()).token;
  const connection = on.connection(`device-${++devices}`);
  const engine = new SyncEngine({
    relayUrl: on.url,
    token,
    storage: new MemoryPeerStorage(),
    socket: connection.socket,
    ...(connection.fetch === undefined ? {} : { fetch: connection.fetch }),
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
    relayUrl: on.url,
    relay: on,
    session: token,
    engine,
    me: { device: "d_testdevice0001" as DeviceId },
    eph,
    pairingToken: async () => (await on.createPairingToken(token)).token,
    stop: () => engine.stop(),
  };
}

/**
 * A demo agent in this process (documents in memory) with a real croner scheduler, on the
 * device's relay over a connection of its own (or `connection`).
 */
export async function startAgent(
  device: Device,
  opts: {
    gateway?: string;
    instance?: string;
    token?: string;
    delayMs?: number;
    connection?: Connection;
    peer?: Partial<AgentPeerOptions>;
  } = {},
): Promise<{ peer: AgentPeer; scheduler: DemoScheduler; backend: DemoBackend }> {
  const backend = new DemoBackend({ delayMs: opts.delayMs ?? 0 });
  const scheduler = new DemoScheduler(backendTaskExecutor(backend));
  const connection = opts.connection ?? device.relay.connection(`agent-${opts.gateway ?? "gw-test"}-${opts.instance ?? "i1"}`);
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
    socket: connection.socket,
    engine: { debounceMs: 5, ...(connection.fetch === undefined ? {} : { fetch: connection.fetch }) },
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

/**
 * What a device shows of the replies to `message` as its eph frames arrived, a state per frame
 * applied (frames carry what is new, so they are folded as the web app folds them), each with the
 * event that brought it.
 */
export function streamedReplies<E extends EphEvent>(d: { eph: readonly E[] }, message: string): (AgentStreamState & { event: E })[] {
  const runs = new Map<string, AgentStreamState>();
  const states: (AgentStreamState & { event: E })[] = [];
  for (const e of d.eph) {
    const f = readEphFrame(e.payload);
    if (f?.type !== EphType.agentStream) continue;
    // Only keyframes name the message: a run's other frames are known by the run.
    const next = foldAgentStream(runs.get(f.run), f);
    if (next === undefined) continue;
    runs.set(f.run, next);
    if (next.message === message) states.push({ ...next, event: e });
  }
  return states;
}

/** What a device shows of the output of jobs (of `job`, when given) as its eph frames arrived. */
export function streamedJobs(d: Pick<Device, "eph">, job?: string): JobStreamState[] {
  const jobs = new Map<string, JobStreamState>();
  const states: JobStreamState[] = [];
  for (const e of d.eph) {
    const f = readEphFrame(e.payload);
    if (f?.type !== EphType.jobStream || (job !== undefined && f.job !== job)) continue;
    const next = foldJobStream(jobs.get(f.job), f);
    if (next === undefined) continue;
    jobs.set(f.job, next);
    states.push(next);
  }
  return states;
}
