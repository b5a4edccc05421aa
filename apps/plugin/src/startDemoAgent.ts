import { join } from "node:path";
import WebSocket from "ws";
import { FilePeerStorage } from "@botschat/model/node";
import type { SocketLike } from "@botschat/model";
import { AgentPeer, type AgentPeerOptions } from "./AgentPeer.js";
import { backendTaskExecutor } from "./backendTaskExecutor.js";
import { DemoBackend } from "./DemoBackend.js";
import { DemoScheduler } from "./DemoScheduler.js";
import { loadIdentity } from "./loadIdentity.js";

/** What the demo agent needs to run. */
export interface DemoAgentOptions {
  relayUrl: string;
  token: string;
  passphrase: string;
  /** Holds `agent.json` (the identity) and `store/` (the documents). */
  dataDir: string;
  name: string;
  gatewayId?: string;
  delayMs?: number;
  /** Told about every socket the engine opens (the CLI counts failed attempts). */
  onSocket?: (socket: WebSocket) => void;
  /** Passed to the peer as they are (tests shorten timings). */
  peer?: Partial<AgentPeerOptions>;
}

/** A demo agent: a {@link DemoBackend} and a {@link DemoScheduler} behind an {@link AgentPeer}, documents on disk. */
export async function startDemoAgent(options: DemoAgentOptions): Promise<AgentPeer> {
  const identity = await loadIdentity(options.dataDir, options.gatewayId);
  const storage = await FilePeerStorage.open(join(options.dataDir, "store"));
  const backend = new DemoBackend(options.delayMs === undefined ? {} : { delayMs: options.delayMs });
  const peer = new AgentPeer({
    relayUrl: options.relayUrl,
    token: options.token,
    passphrase: options.passphrase,
    storage,
    gateway: identity.gateway,
    instance: identity.instance,
    name: options.name,
    backend,
    scheduler: new DemoScheduler(backendTaskExecutor(backend)),
    socket: (url) => {
      const ws = new WebSocket(url);
      ws.on("error", () => undefined);
      options.onSocket?.(ws);
      return ws as unknown as SocketLike;
    },
    ...options.peer,
  });
  try {
    await peer.start();
  } catch (e) {
    await storage.close();
    throw e;
  }
  return peer;
}
