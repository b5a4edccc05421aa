/// <reference lib="webworker" />
import * as Comlink from "comlink";
import { initAutomerge } from "./initAutomerge.js";
import { WORKER_READY } from "../shared/workerReady.js";

/**
 * The worker entry. As a SharedWorker (one per origin) every tab connects through its own port;
 * as a dedicated worker (browsers without SharedWorker) each tab has one, and only the tab
 * holding the `botschat-engine` Web Lock runs the engine while the others wait for it.
 */
const scope = globalThis as unknown as { onconnect?: (e: MessageEvent) => void; name?: string };
const shared = typeof (globalThis as { SharedWorkerGlobalScope?: unknown }).SharedWorkerGlobalScope !== "undefined";

const service = (async () => {
  // The service's modules load while the wasm compiles and warms up; nothing in them touches Automerge before a call.
  const t0 = performance.now();
  let wasmMs = 0;
  let warmMs = 0;
  const [{ WorkspaceService }] = await Promise.all([
    import("./WorkspaceService.js"),
    initAutomerge().then((warm) => {
      warmMs = warm;
      wasmMs = performance.now() - t0;
    }),
  ]);
  const boot = `worker ready in ${Math.round(performance.now())} ms (Automerge wasm ${Math.round(wasmMs)} ms with its warm-up ${Math.round(warmMs)} ms, modules ${Math.round(performance.now() - t0)} ms)`;
  if (shared) return new WorkspaceService(undefined, boot);
  return new WorkspaceService(
    (onWaiting) =>
      new Promise<() => void>((granted) => {
        const timer = setTimeout(onWaiting, 100);
        void navigator.locks.request("botschat-engine", () => {
          clearTimeout(timer);
          return new Promise<void>((release) => granted(release));
        });
      }),
    boot,
  );
})();

/**
 * Exposes the service on a port once it is ready, then says so: a dedicated worker's messages
 * are not queued before a listener exists, so the tab waits for {@link WORKER_READY}.
 */
function serve(port: MessagePort | typeof globalThis): void {
  void service.then((s) => {
    Comlink.expose(s, port as MessagePort);
    (port as MessagePort).postMessage(WORKER_READY);
  });
}

if (shared) {
  scope.onconnect = (e: MessageEvent) => {
    const port = e.ports[0]!;
    serve(port);
  };
} else {
  serve(globalThis);
}
