import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import { MemoryPeerStorage } from "../src/storage/MemoryPeerStorage.js";
import type { PeerStorage } from "../src/storage/PeerStorage.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import { SyncEngine, type SyncEngineOptions } from "../src/sync/SyncEngine.js";
import type { SocketLike } from "../src/sync/SocketLike.js";
import type { SyncLogEntry } from "../src/sync/SyncLog.js";

/** Argon2id at libsodium's minimum, so tests do not spend seconds per vault. */
export const FAST_VAULT = { ops: 1, mem: 8192 * 1024 };

export interface TestPeer {
  engine: SyncEngine;
  storage: PeerStorage;
  logs: SyncLogEntry[];
  /** A new engine on the same storage, as after a process restart. */
  restart(): Promise<TestPeer>;
}

/** A sync engine over `ws` and the given (default: in-memory) storage, started. */
export async function startPeer(relayUrl: string, token: string, opts: Partial<SyncEngineOptions> & { storage?: PeerStorage } = {}): Promise<TestPeer> {
  await ready();
  const storage = opts.storage ?? new MemoryPeerStorage();
  const engine = new SyncEngine({
    relayUrl,
    token,
    storage,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    vaultOptions: FAST_VAULT,
    debounceMs: 10,
    ...opts,
  });
  const logs: SyncLogEntry[] = [];
  engine.on("log", (e) => logs.push(e));
  await engine.start();
  return {
    engine,
    storage,
    logs,
    restart: async () => {
      await engine.stop();
      return startPeer(relayUrl, token, { ...opts, storage });
    },
  };
}

/** Waits until `cond` holds, checking on every engine event and every 20 ms; fails after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const isLive = (p: TestPeer) => p.engine.getStatus().state === ConnectionState.live;
