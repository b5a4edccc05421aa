import { afterAll, beforeAll } from "vitest";
import { createPairingToken, json, login, register, startRelay, SyncClient, type RelayProcess, type StartRelayOptions } from "@botschat/relay-testkit";
import { startPeer, type TestPeer } from "./peers.js";
import { readLog } from "./relayLog.js";
import type { SyncFixture } from "./syncFixture.js";

/** A real relay for one test file, and the peers its tests started (all stopped afterwards). */
export interface RelayFixture extends SyncFixture {
  /** The running relay (replace it with {@link RelayFixture.restart}). */
  relay: RelayProcess;
  /** Stops the relay and starts a new one on the same data directory and port. */
  restart(): Promise<RelayProcess>;
}

/** Registers `beforeAll`/`afterAll` hooks that run a relay for the calling test file. */
export function relayFixture(opts: StartRelayOptions = {}): RelayFixture {
  const peers: TestPeer[] = [];
  const fx: RelayFixture = {
    name: "the real relay",
    relay: undefined as unknown as RelayProcess,
    peer: async (token, peerOpts = {}) => fx.track(await startPeer(fx.relay.url, token, peerOpts)),
    track: (p) => {
      peers.push(p);
      return p;
    },
    register: () => register(fx.relay.url),
    login: (email, password) => login(fx.relay.url, email, password),
    createPairingToken: (sessionToken, label) => createPairingToken(fx.relay.url, sessionToken, label),
    revokePairingToken: async (sessionToken, id) => (await json(fx.relay.url, `/api/pairing-tokens/${id}`, { method: "DELETE", token: sessionToken })).status,
    rawClient: () => SyncClient.connect(fx.relay.wsUrl),
    readLog: (token) => readLog(fx.relay.wsUrl, token),
    stop: () => fx.relay.stop(),
    restart: async () => {
      const old = fx.relay;
      await old.stop();
      fx.relay = await startRelay({ ...opts, dataDir: old.dataDir, args: [...(opts.args ?? []), "--port", String(old.port)] });
      return fx.relay;
    },
  };
  beforeAll(async () => {
    fx.relay = await startRelay(opts);
  });
  afterAll(async () => {
    for (const p of peers) await p.engine.stop().catch(() => undefined);
    await fx.relay?.stop();
  });
  return fx;
}
