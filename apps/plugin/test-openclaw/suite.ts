import WebSocket from "ws";
import { inject } from "vitest";
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
import { findRuntime } from "./runtime.js";
import { cli, homeIn, type OpenClawHome } from "./gateway.js";

/** Argon2id at libsodium's minimum, so the suite does not spend seconds per vault. */
export const FAST_VAULT = { ops: 1, mem: 8192 * 1024 };
export const PASSPHRASE = "openclaw suite passphrase";
/** The gateway id the plugin is configured with. */
export const GATEWAY_ID = "gw-openclaw";

/** What the global setup hands to the tests. */
export interface SuiteContext {
  root: string;
  port: number;
  relayUrl: string;
  /** POST `/relay/stop` or `/relay/start` here to stop the relay or start it again (same port and data). */
  relayControlUrl: string;
  /** The account's session token (a device signs in with it). */
  session: string;
  mockUrl: string;
  backendToken: string;
  tarball: string;
  /** The built plugin package (what was packed). */
  packageDir: string;
}

/** The suite's context and its OpenClaw home. */
export function suite(): SuiteContext & { home: OpenClawHome; cli: (args: string[]) => Promise<string> } {
  const ctx = inject("openclaw");
  const home = homeIn(ctx.root, findRuntime(), ctx.port);
  return { ...ctx, home, cli: (args) => cli(home, args) };
}

/** Waits until `cond` holds, checking every 50 ms; fails after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The person's device: another device of the suite's account, live, recording eph frames. */
export interface Device {
  engine: SyncEngine;
  me: DeviceActor;
  eph: EphEvent[];
  stop(): Promise<void>;
}

export async function startDevice(): Promise<Device> {
  const { relayUrl, session } = suite();
  await ready();
  const engine = new SyncEngine({
    relayUrl,
    token: session,
    storage: new MemoryPeerStorage(),
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    debounceMs: 5,
  });
  const eph: EphEvent[] = [];
  engine.on("eph", (e) => eph.push(e));
  await engine.start();
  await engine.unlock(PASSPHRASE);
  await until(() => engine.getStatus().state === ConnectionState.live, "the device to be live");
  await engine.whenSynced();
  return { engine, me: { device: "d_openclawsuite01" as DeviceId }, eph, stop: () => engine.stop() };
}

/** Waits for the OpenClaw gateway to publish, then makes a channel on its `main` agent with one session. */
export async function channelWithSession(device: Device, title = "First") {
  await until(async () => (await openRoot(device.engine)).doc().gateways[GATEWAY_ID as GatewayId] !== undefined, "the gateway to publish", 60_000);
  const channel = await createChannel(device.engine, device.me, { name: `OpenClaw ${title}`, gateway: GATEWAY_ID as GatewayId, agentId: "main" as AgentId });
  const session = await createSession(device.engine, device.me, { channelDoc: channel.doc, title });
  return { channel, ...session };
}

/** The agent's reply records to a message, as the device sees them. */
export async function repliesTo(device: Device, doc: DocumentId, message: MessageId): Promise<MessageRecord[]> {
  if (!device.engine.has(doc)) return [];
  const d = (await device.engine.find<MessageDoc>(doc)).doc();
  return Object.values(d.messages).filter((m) => str(m.replyTo) === message && str(m.role) === "agent");
}

/** The requests the mock model has seen. */
export async function modelRequests(): Promise<import("./mockModel.js").MockRequest[]> {
  return (await (await fetch(`${suite().mockUrl}/__requests`)).json()) as import("./mockModel.js").MockRequest[];
}
