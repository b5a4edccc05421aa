// What the plugin's benchmarks share: the real relay, a person's device (a sync engine) and an
// agent (AgentPeer with a given backend) of one user, live, in this process so one clock serves
// all, with a channel and a session to talk in.
import { performance } from "node:perf_hooks";
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
  type DeviceActor,
  type DeviceId,
  type DocumentId,
  type EphEvent,
  type GatewayId,
  type SessionId,
  type SocketLike,
} from "@botschat/model";
import { waitFor } from "@botschat/model/testkit";
import { decodeRelayFrame } from "@botschat/protocol";
import { createPairingToken, register, startRelayForBench, type RelayProcess } from "@botschat/relay-testkit";
import type { AgentBackend } from "../src/AgentBackend.js";
import { AgentPeer } from "../src/AgentPeer.js";

const PASSPHRASE = "bench agent streams";
const GATEWAY = "gw-bench" as GatewayId;

/** A device of the bench's account, with what it received. */
export interface BenchDevice {
  engine: SyncEngine;
  /** Its eph frames as they arrived (`at`: performance.now()). */
  eph: (EphEvent & { at: number })[];
  /** Bytes of the relay's eph frames it received so far, as they came off the socket. */
  ephBytes(): number;
  stop(): Promise<void>;
}

/** An agent started apart (a process), given what it needs to join the workspace. */
export type ExternalAgent = (join: { relayUrl: string; pairingToken: string; passphrase: string }) => Promise<{ stop(): Promise<void> }>;

export interface BenchPeers {
  relay: RelayProcess;
  device: BenchDevice;
  me: DeviceActor;
  channelDoc: DocumentId;
  session: SessionId;
  /** Another device of the same account, live and caught up. */
  addDevice(): Promise<BenchDevice>;
  stop(): Promise<void>;
}

/** A device on `relay` with the account's session `token`, counting the eph bytes it receives. */
async function startDevice(relay: RelayProcess, token: string): Promise<BenchDevice> {
  let ephBytes = 0;
  const socket = (url: string): SocketLike => {
    const ws = new WebSocket(url);
    ws.on("message", (data: Buffer | ArrayBuffer) => {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const r = decodeRelayFrame(bytes);
      if (r.ok && r.frame.t === "eph") ephBytes += bytes.byteLength;
    });
    return ws as unknown as SocketLike;
  };
  const engine = new SyncEngine({ relayUrl: relay.url, token, storage: new MemoryPeerStorage(), socket, vaultOptions: { ops: 1, mem: 8192 * 1024 } });
  const eph: BenchDevice["eph"] = [];
  engine.on("eph", (e) => eph.push({ ...e, at: performance.now() }));
  await engine.start();
  await engine.unlock(PASSPHRASE);
  await waitFor([engine], () => engine.getStatus().state === ConnectionState.live, "the device live", 10_000);
  await engine.whenSynced();
  return { engine, eph, ephBytes: () => ephBytes, stop: () => engine.stop() };
}

/**
 * Starts the relay, a device and an agent — an AgentPeer here answering with `agent`, or an agent
 * started apart — and makes a channel bound to the agent's gateway, with a session.
 */
export async function startBenchPeers(agent: AgentBackend | ExternalAgent): Promise<BenchPeers> {
  await ready();
  const relay = await startRelayForBench();
  let stopAgent = async (): Promise<void> => {};
  try {
    const { token } = await register(relay.url);
    const device = await startDevice(relay, token);
    const join = { relayUrl: relay.url, pairingToken: (await createPairingToken(relay.url, token)).token, passphrase: PASSPHRASE };
    if (typeof agent === "function") {
      stopAgent = (await agent(join)).stop;
    } else {
      const peer = new AgentPeer({
        ...join,
        token: join.pairingToken,
        storage: new MemoryPeerStorage(),
        gateway: GATEWAY,
        instance: "bench",
        name: "Bench agent",
        backend: agent,
      });
      await peer.start();
      stopAgent = () => peer.stop();
    }
    const gateway = async () => Object.values((await openRoot(device.engine)).doc().gateways)[0];
    await waitFor([device.engine], async () => (await gateway())?.agents.length !== undefined, "the gateway", 30_000);
    const g = (await gateway())!;
    const me = { device: "d_benchdevice0001" as DeviceId };
    const { doc: channelDoc } = await createChannel(device.engine, me, { name: "Bench", gateway: str(g.id), agentId: str(g.agents[0]!.id) as AgentId });
    const { session } = await createSession(device.engine, me, { channelDoc, title: "Bench" });
    const others: BenchDevice[] = [];
    return {
      relay,
      device,
      me,
      channelDoc,
      session,
      addDevice: async () => {
        const d = await startDevice(relay, token);
        others.push(d);
        return d;
      },
      stop: async () => {
        await stopAgent();
        for (const d of [device, ...others]) await d.stop();
        await relay.stop();
      },
    };
  } catch (e) {
    await stopAgent().catch(() => undefined);
    await relay.stop();
    throw e;
  }
}
