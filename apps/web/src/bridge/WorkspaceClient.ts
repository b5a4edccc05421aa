import type { SyncLogEntry } from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";
import * as Comlink from "comlink";
import { type Accessor, createSignal } from "solid-js";
import type { WorkspaceApi } from "../shared/WorkspaceApi.js";
import type { EngineStatus, GlobalUpdate, WatchTarget, WatchUpdate } from "../shared/views.js";

/** The smallest slice of the worker's surface the reactive views need (tests pass a fake). */
export type WorkspacePort = Pick<WorkspaceApi, "hello" | "goodbye" | "watch" | "unwatch"> & Partial<WorkspaceApi>;

const LOG_KEEP = 1000;

/** A tab's connection to the workspace worker: global signals plus watches. */
export interface WorkspaceClient {
  api: WorkspaceApi;
  client: number;
  status: Accessor<EngineStatus>;
  peers: Accessor<PeerInfo[]>;
  log: Accessor<SyncLogEntry[]>;
  /** Takes a status a call answered (newer than any push that may still be on its way). */
  noteStatus(status: EngineStatus): void;
  /** Starts a watch; returns its stop function. */
  watch(target: WatchTarget, onUpdate: (u: WatchUpdate) => void): () => void;
  close(): void;
}

/** Wraps a proxied callback so comlink passes it by reference (a no-op for in-process fakes). */
export type Proxy = <T extends object>(fn: T) => T;

/**
 * Says hello to the worker and turns its pushes into signals. `proxy` is comlink's for the real
 * worker; tests pass the identity.
 */
export async function makeWorkspaceClient(api: WorkspacePort, proxy: Proxy = Comlink.proxy): Promise<WorkspaceClient> {
  const c = makeLazyWorkspaceClient(Promise.resolve(api), proxy);
  await c.ready;
  return c;
}

/**
 * A client usable at once, before the worker has answered: calls and watches wait for it. The
 * workspace can so be drawn from a cached view while the worker boots.
 */
export function makeLazyWorkspaceClient(port: Promise<WorkspacePort>, proxy: Proxy = Comlink.proxy): WorkspaceClient & { ready: Promise<void> } {
  // Until the worker answers, the workspace is on its way (not "offline"), unless the network is down.
  const [status, setStatus] = createSignal<EngineStatus>({
    state: "offline",
    progress: { applied: 0, head: 0, cursor: 0 },
    pending: 0,
    opened: false,
    ...(globalThis.navigator?.onLine === false ? {} : { starting: true }),
  });
  const noteStatus = (s: EngineStatus): void => {
    if ((s.rev ?? 0) >= (status().rev ?? 0)) setStatus(s);
  };
  const [peers, setPeers] = createSignal<PeerInfo[]>([]);
  const [log, setLog] = createSignal<SyncLogEntry[]>([]);
  let client = 0;
  const ready = port.then(async (api) => {
    client = await api.hello(
      proxy((u: GlobalUpdate) => {
        if (u.kind === "status") noteStatus(u.status);
        else if (u.kind === "peers") setPeers(u.peers);
        else setLog((prev) => [...prev, ...u.lines].slice(-LOG_KEEP));
      }),
    );
  });
  // Every call waits for the worker; `then` stays undefined so the object is not a thenable.
  const api = new Proxy({} as WorkspaceApi, {
    get: (_t, name) =>
      name === "then"
        ? undefined
        : async (...args: unknown[]) => {
            await ready;
            const real = (await port) as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
            return real[name]!(...args);
          },
  });
  return {
    api,
    get client() {
      return client;
    },
    ready,
    status,
    peers,
    log,
    noteStatus,
    watch(target, onUpdate) {
      let stopped = false;
      let id: number | undefined;
      void ready.then(async () => {
        if (stopped) return;
        const real = await port;
        const w = await real.watch(
          client,
          target,
          proxy((u: WatchUpdate) => void (stopped || onUpdate(u))),
        );
        id = w;
        if (stopped) void real.unwatch(w);
      });
      return () => {
        stopped = true;
        if (id !== undefined) void port.then((real) => real.unwatch(id!));
      };
    },
    close() {
      void ready.then(async () => (await port).goodbye(client));
    },
  };
}
