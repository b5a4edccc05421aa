import { afterAll } from "vitest";
import { MemoryLine, MemoryRelay, MemorySyncClient, type MemoryRelayOptions } from "../testkit/memoryRelay/index.js";
import { startPeer, type TestPeer } from "./peers.js";
import { readLogWith, type PeerOptions, type SyncFixture } from "./syncFixture.js";

/**
 * Argon2id at libsodium's minimums (8 KiB, one pass): on MemoryRelay nothing else takes
 * milliseconds, so the vault's cost would dominate.
 */
export const TINY_VAULT = { ops: 1, mem: 8 * 1024 };

/** A test peer over MemoryRelay, with its line (its network, where faults are played). */
export interface MemoryPeer extends TestPeer {
  line: MemoryLine;
  /** A new engine on the same storage and the same line, as after a process restart. */
  restart(): Promise<MemoryPeer>;
}

/** Options of a memory peer: a peer's, and the line to use (default: a new one). */
export type MemoryPeerOptions = PeerOptions & { line?: MemoryLine };

/** A started sync engine over `relay`, on its own line unless one is given. */
export async function startMemoryPeer(relay: MemoryRelay, token: string, opts: MemoryPeerOptions = {}): Promise<MemoryPeer> {
  const { line = relay.line(), ...rest } = opts;
  const peer = await startPeer(relay.url, token, { vaultOptions: TINY_VAULT, ...rest, socket: line.socket, fetch: line.fetch });
  return {
    ...peer,
    line,
    restart: async () => {
      await peer.engine.stop();
      return startMemoryPeer(relay, token, { ...opts, line, storage: peer.storage });
    },
  };
}

/** MemoryRelay for one test file, and the peers its tests started (all stopped afterwards). */
export interface MemoryRelayFixture extends SyncFixture {
  relay: MemoryRelay;
  peer(token: string, opts?: MemoryPeerOptions): Promise<MemoryPeer>;
  /** Stops the relay (gracefully, or as a crash) and starts it again on what it committed. */
  restart(options?: { crash?: boolean }): Promise<void>;
}

/**
 * A {@link MemoryRelay} for the calling test file, with the same shape as `relayFixture` (so a
 * scenario runs against either), and an `afterAll` hook that stops its peers.
 */
export function memoryRelayFixture(opts: MemoryRelayOptions = {}): MemoryRelayFixture {
  const peers: TestPeer[] = [];
  const relay = new MemoryRelay(opts);
  const fx: MemoryRelayFixture = {
    name: "MemoryRelay",
    relay,
    peer: async (token, peerOpts = {}) => {
      const p = await startMemoryPeer(relay, token, peerOpts);
      fx.track(p);
      return p;
    },
    track: (p) => {
      peers.push(p);
      return p;
    },
    register: async () => relay.register(),
    login: async (email, password) => relay.login(email, password),
    createPairingToken: async (sessionToken, label) => relay.createPairingToken(sessionToken, label),
    revokePairingToken: async (sessionToken, id) =>
      (await relay.fetch(`${relay.url}/api/pairing-tokens/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${sessionToken}` } })).status,
    rawClient: () => MemorySyncClient.connect(relay.line("raw"), relay.wsUrl),
    readLog: async (token) => readLogWith(await fx.rawClient(), token),
    stop: async () => relay.stop(),
    restart: async (options = {}) => {
      relay.restart(options);
    },
  };
  afterAll(async () => {
    for (const p of peers) await p.engine.stop().catch(() => undefined);
  });
  return fx;
}
