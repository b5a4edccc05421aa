import { afterAll, beforeAll } from "vitest";
import { startRelay, type RelayProcess, type StartRelayOptions } from "@botschat/relay-testkit";
import { startPeer, type TestPeer } from "./peers.js";

/** A real relay for one test file, and the peers its tests started (all stopped afterwards). */
export interface RelayFixture {
  /** The running relay (replace it with {@link RelayFixture.restart}). */
  relay: RelayProcess;
  /** Starts a peer on this relay and stops it after the file. */
  peer(token: string, opts?: Parameters<typeof startPeer>[2]): Promise<TestPeer>;
  /** Keeps a peer started elsewhere (e.g. by `restart()`) for the final stop. */
  track(peer: TestPeer): TestPeer;
  /** Stops the relay and starts a new one on the same data directory and port. */
  restart(): Promise<RelayProcess>;
}

/** Registers `beforeAll`/`afterAll` hooks that run a relay for the calling test file. */
export function relayFixture(opts: StartRelayOptions = {}): RelayFixture {
  const peers: TestPeer[] = [];
  const fx: RelayFixture = {
    relay: undefined as unknown as RelayProcess,
    peer: async (token, peerOpts = {}) => fx.track(await startPeer(fx.relay.url, token, peerOpts)),
    track: (p) => {
      peers.push(p);
      return p;
    },
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
