import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import { MemoryPeerStorage } from "../src/storage/MemoryPeerStorage.js";
import type { PeerStorage } from "../src/storage/PeerStorage.js";
import { SyncEngine, type SyncEngineOptions } from "../src/sync/SyncEngine.js";
import type { SocketLike } from "../src/sync/SocketLike.js";
import { FAST_VAULT } from "../test/peers.js";

/**
 * A started sync engine over `ws`, with the engine's own defaults (debounce, snapshot policy)
 * unless `opts` says otherwise — unlike the tests' `startPeer`, which shortens the debounce.
 * The vault is created at libsodium's minimum Argon2id cost: key derivation is not what these
 * benchmarks measure.
 */
export async function startBenchEngine(
  relayUrl: string,
  token: string,
  opts: Partial<SyncEngineOptions> & { storage?: PeerStorage } = {},
): Promise<SyncEngine> {
  await ready();
  const engine = new SyncEngine({
    relayUrl,
    token,
    storage: opts.storage ?? new MemoryPeerStorage(),
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    vaultOptions: FAST_VAULT,
    ...opts,
  });
  await engine.start();
  return engine;
}
