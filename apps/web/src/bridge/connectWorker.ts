import * as Comlink from "comlink";
import type { WorkspaceApi } from "../shared/WorkspaceApi.js";
import { WORKER_READY } from "../shared/workerReady.js";

/** The workspace service of this origin, reached through comlink. */
export type WorkspaceRemote = Comlink.Remote<WorkspaceApi>;

/**
 * Connects this tab to the workspace worker: the origin's SharedWorker where the browser has
 * one (every tab shares one engine), else a dedicated worker that runs the engine only while it
 * holds the origin-wide lock (see src/worker/engineWorker.ts).
 */
export async function connectWorker(): Promise<WorkspaceRemote> {
  let port: MessagePort | Worker;
  if (typeof SharedWorker !== "undefined") {
    const worker = new SharedWorker(new URL("../worker/engineWorker.ts", import.meta.url), { type: "module", name: "botschat-engine" });
    port = worker.port;
    port.start();
  } else {
    port = new Worker(new URL("../worker/engineWorker.ts", import.meta.url), { type: "module", name: "botschat-engine" });
  }
  await new Promise<void>((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      if (e.data !== WORKER_READY) return;
      port.removeEventListener("message", onMessage as EventListener);
      resolve();
    };
    port.addEventListener("message", onMessage as EventListener);
  });
  return Comlink.wrap<WorkspaceApi>(port);
}
