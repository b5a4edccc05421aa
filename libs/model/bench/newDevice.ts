// A device opening the workspace in a process of its own, so that its time and memory are its own:
// run by catchUp.bench.ts through `runNewDevice`.
//
// - `cold`: a new device, fresh memory storage, only the passphrase: it catches up from the relay.
// - `warm`: a device restarting on its local files (FilePeerStorage) while the relay is down.
//
// It prints one line `RESULT {json}` (a `NewDeviceResult`) and exits.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { FilePeerStorage } from "../src/storage/FilePeerStorage.node.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import type { NewDeviceParams, NewDeviceResult } from "./runNewDevice.js";
import { readLatestSession } from "./readLatestSession.js";
import { startBenchEngine } from "../testkit/startBenchEngine.js";
import { waitFor } from "../testkit/waitFor.js";

const params = JSON.parse(process.argv[2]!) as NewDeviceParams;

/** Peak resident memory of this process so far (Linux `VmHWM`), in bytes. */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

// The heap is sampled (cheaply: no RSS read) every 10 ms and on every status event; a long
// synchronous step (an Automerge load) can hide a short peak between two samples, so the heap
// peak is a lower bound. Peak RSS is exact (the kernel's high-water mark).
let peakHeap = 0;
let peakExternal = 0;
const sample = (): void => {
  const h = getHeapStatistics();
  peakHeap = Math.max(peakHeap, h.used_heap_size);
  peakExternal = Math.max(peakExternal, h.external_memory);
};
sample();
const rssBefore = process.memoryUsage().rss;
const sampler = setInterval(sample, 10);

const t0 = performance.now();
const storage: FilePeerStorage | undefined = params.mode === "warm" ? await FilePeerStorage.open(params.storageDir!) : undefined;
const openedMs = performance.now() - t0;
const engine = await startBenchEngine(params.relayUrl, params.token, storage ? { storage } : {});
const startedMs = performance.now() - t0;
engine.on("status", sample);
await engine.unlock(params.passphrase);
const unlockedMs = performance.now() - t0;

let readableMs = Number.NaN;
let liveMs = Number.NaN;
const readable = waitFor(
  [engine],
  async () => {
    const latest = await readLatestSession(engine);
    return latest?.page === params.expectPage && latest.messages === params.expectMessages;
  },
  "the latest session",
  params.timeoutMs,
).then(() => {
  readableMs = performance.now() - t0;
});
const live =
  params.mode === "cold"
    ? waitFor([engine], () => engine.getStatus().state === ConnectionState.live, "live", params.timeoutMs).then(() => {
        liveMs = performance.now() - t0;
      })
    : Promise.resolve();
await Promise.all([readable, live]);
sample();
clearInterval(sampler);

const result: NewDeviceResult = {
  openedMs,
  startedMs,
  unlockedMs,
  readableMs,
  liveMs,
  documents: engine.documentIds().length,
  applied: engine.getStatus().progress.applied,
  rssBefore,
  peakRss: peakRss(),
  peakHeap,
  peakExternal,
};
console.log(`RESULT ${JSON.stringify(result)}`);
await engine.stop();
await storage?.close();
process.exit(0);
