import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { workspaceRoot } from "./workspacePaths.js";
import type { RelayProcess } from "./relayProcess.js";
import { startBenchRelay } from "./startBenchRelay.js";

const root = `${workspaceRoot()}/`;
const relayDir = `${root}apps/relay/`;

/** Blocks the thread for `ms` (only while waiting for the bundle, before anything is measured). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Builds the relay bundle and takes a private copy of it for this process, once. `pnpm bench`
 * builds only the packages it benchmarks, and the model's benchmarks run before the relay's, so
 * the build happens here (turbo replays it from its cache when nothing changed). The relay's
 * test setup cleans and rebuilds `dist/` at any time, so the copy is retried until the bundle is
 * there; it sits beside `dist/` (so its dependencies resolve) and is removed on exit.
 */
function privateRelayBundle(): void {
  if (process.env["BOTSCHAT_RELAY_MAIN"] !== undefined) return;
  const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--filter=@botschat/relay", "--output-logs=errors-only"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (build.status !== 0) throw new Error("building the relay failed");
  const bundle = `${relayDir}dist/main.js`;
  const copy = `${relayDir}bench-results/model-main-${process.pid}.js`;
  mkdirSync(`${relayDir}bench-results`, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      if (!existsSync(bundle)) throw new Error(`no ${bundle}`);
      copyFileSync(bundle, copy);
      break;
    } catch (e) {
      if (attempt >= 60) throw e;
      pause(500);
    }
  }
  process.on("exit", () => rmSync(copy, { force: true }));
  process.env["BOTSCHAT_RELAY_MAIN"] = copy;
}

/**
 * Starts the real relay for a model benchmark, from a private copy of its bundle, with the
 * per-user append rate raised (a benchmark writes a workspace much faster than a person does)
 * and `extraArgs` after the defaults (a later flag wins, e.g. `--web <folder>`).
 */
export async function startRelayForBench(extraArgs: readonly string[] = []): Promise<RelayProcess> {
  privateRelayBundle();
  return startBenchRelay({
    args: ["--log-level", "silent", "--append-rate", "1000000", "--append-burst", "1000000", ...extraArgs],
  });
}
