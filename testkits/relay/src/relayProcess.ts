import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { relayDir } from "./workspacePaths.js";

/**
 * The relay bundle to run: the file named by `BOTSCHAT_RELAY_MAIN` (a private copy the kit's
 * globalSetup or a benchmark made, or another build of the relay), else `apps/relay/dist/main.js`.
 * Read at each start, so a copy named after this module loaded is used.
 */
export const relayMain = (): string => process.env["BOTSCHAT_RELAY_MAIN"] ?? join(relayDir(), "dist", "main.js");

/** How a relay process ended. */
export interface RelayExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `botschat-relay` process on a free port. */
export interface RelayProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `ws://127.0.0.1:PORT/api/sync` */
  wsUrl: string;
  port: number;
  /** The data directory it was started with (reuse it to restart on the same data). */
  dataDir: string;
  proc: ChildProcess;
  /** Every stdout and stderr line so far (stderr lines are prefixed with `stderr: `). */
  logs: string[];
  /** Settles when the process has exited. */
  exited: Promise<RelayExit>;
  /** SIGTERM and wait for the exit; resolves with how it ended (SIGKILL after 10 s). */
  stop(): Promise<RelayExit>;
  /** SIGKILL (like `kill -9`) and wait for the exit. */
  kill9(): Promise<RelayExit>;
}

export interface StartRelayOptions {
  /** Defaults to a fresh temp directory, removed when the test process exits. */
  dataDir?: string;
  /** Extra flags, appended after the defaults (a later flag wins). */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** How long to wait for the `listening on` line. Default 15 s. */
  startTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const p of live) p.kill("SIGKILL");
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
}

/** A fresh temp directory, removed when the test process exits. */
export function tempDir(prefix = "botschat-relay-test-"): string {
  installExitHook();
  const dir = mkdtempSync(join(process.env["BOTSCHAT_TEST_TMP"] ?? tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

const LISTENING = /listening on http:\/\/([^\s"/]+):(\d+)/;

/**
 * Start the real relay: `node dist/main.js --port 0 --data <dir> --auth-rate 100000 ...args`,
 * and wait for its `listening on http://HOST:PORT` line ([P1]). Rejects (with the output so far)
 * if the process exits or stays silent first. Call `stop()` or `kill9()` in an after hook;
 * processes still running when the test process exits are killed.
 */
export async function startRelay(opts: StartRelayOptions = {}): Promise<RelayProcess> {
  installExitHook();
  const dataDir = opts.dataDir ?? tempDir();
  // No web app unless a test asks for one: a build a developer made must not change what routes answer.
  const args = [relayMain(), "--port", "0", "--data", dataDir, "--web", join(dataDir, "no-web"), "--auth-rate", "100000", ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(proc);
  const logs: string[] = [];
  const exited = new Promise<RelayExit>((resolve) => {
    proc.once("exit", (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });

  const started = new Promise<{ host: string; port: number }>((resolve, reject) => {
    const timeoutMs = opts.startTimeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`relay did not print "listening on" within ${timeoutMs} ms; output:\n${logs.join("\n")}`));
    }, timeoutMs);
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      logs.push(line);
      const m = LISTENING.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ host: m[1]!, port: Number(m[2]) });
      }
    });
    createInterface({ input: proc.stderr! }).on("line", (line) => logs.push(`stderr: ${line}`));
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (code ${e.code}, signal ${e.signal}) before listening; output:\n${logs.join("\n")}`));
    });
  });
  const { host, port } = await started;
  const connectHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${connectHost}:${port}`;

  const waitExit = async (signal: NodeJS.Signals, graceMs: number): Promise<RelayExit> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return exited;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    const e = await exited;
    clearTimeout(timer);
    return e;
  };

  return {
    url,
    wsUrl: `ws://${connectHost}:${port}/api/sync`,
    port,
    dataDir,
    proc,
    logs,
    exited,
    stop: () => waitExit("SIGTERM", 10_000),
    kill9: () => waitExit("SIGKILL", 10_000),
  };
}

/**
 * Run `botschat-relay` to completion (for `--help` and bad-flag checks) and collect its output.
 * Kills it after `timeoutMs`.
 */
export async function runRelayCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [relayMain(), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => proc.once("close", (c) => resolve(c)));
  clearTimeout(timer);
  live.delete(proc);
  return { code, stdout, stderr };
}
