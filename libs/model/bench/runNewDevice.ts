import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** What `newDevice.ts` is told. */
export interface NewDeviceParams {
  mode: "cold" | "warm";
  relayUrl: string;
  token: string;
  passphrase: string;
  /** For `warm`: the FilePeerStorage directory to restart on. */
  storageDir?: string;
  /** The page the latest session must show, and how many messages it must hold. */
  expectPage: string;
  expectMessages: number;
  timeoutMs: number;
}

/** What `newDevice.ts` measured (times from its first step, memory in bytes). */
export interface NewDeviceResult {
  /** Local storage opened (warm only), engine started (local copy loaded), passphrase given. */
  openedMs: number;
  startedMs: number;
  unlockedMs: number;
  /** Until the latest session's page is on the device with all its messages. */
  readableMs: number;
  /** Until the engine is `live` (cold only; NaN for warm). */
  liveMs: number;
  documents: number;
  /** Entries applied from the relay. */
  applied: number;
  /** Resident memory when the device began (after loading its code). */
  rssBefore: number;
  /** Peak resident memory of the process (`VmHWM`). */
  peakRss: number;
  /** Peak V8 heap used, and peak memory outside the heap (Automerge's WebAssembly memory, buffers), sampled. */
  peakHeap: number;
  peakExternal: number;
}

const SCRIPT = fileURLToPath(new URL("./newDevice.ts", import.meta.url));
const RESULT = /^RESULT (.*)$/m;

/**
 * Runs `newDevice.ts` in a fresh Node process (same loader flags as this one, so TypeScript runs
 * through tsx) and returns what it measured. With `BOTSCHAT_BENCH_CPU_PROF=<dir>` the child
 * writes its CPU profiles there, in a folder per mode (`--cpu-prof`). Killed after `params.timeoutMs` plus start-up time.
 */
export async function runNewDevice(params: NewDeviceParams): Promise<NewDeviceResult> {
  const profDir = process.env["BOTSCHAT_BENCH_CPU_PROF"];
  // One profile per thread (the main one, and the loader's); a folder per mode.
  const prof = profDir ? ["--cpu-prof", `--cpu-prof-dir=${join(profDir, params.mode)}`] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...prof, SCRIPT, JSON.stringify(params)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), params.timeoutMs + 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  const m = RESULT.exec(out);
  if (code !== 0 || !m) throw new Error(`the ${params.mode} device failed (exit ${code}):\n${out}`);
  return JSON.parse(m[1]!) as NewDeviceResult;
}
