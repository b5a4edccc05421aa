import { execFile, spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OpenClawRuntime } from "./runtime.js";

/** An isolated OpenClaw home: its env, where the gateway writes its log and PID. */
export interface OpenClawHome {
  runtime: OpenClawRuntime;
  /** HOME and OPENCLAW_STATE_DIR (`<home>/.openclaw`) point here. */
  home: string;
  stateDir: string;
  port: number;
  logFile: string;
  pidFile: string;
}

/**
 * The environment of every OpenClaw process of this home. The test runner's own variables
 * (`VITEST*`, `NODE_ENV=test`) are left out: OpenClaw behaves differently under a test runner
 * (its CLI prints nothing).
 */
export function envOf(h: OpenClawHome): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_ENV$|NODE_OPTIONS$|TEST$|TINYPOOL)/.test(k)));
  return {
    ...inherited,
    HOME: h.home,
    OPENCLAW_STATE_DIR: h.stateDir,
    PATH: `${h.runtime.nodeBinDir}:${process.env["PATH"] ?? ""}`,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

/** Runs `openclaw <args>` to its end; answers its output, throws with it on failure. */
export function cli(h: OpenClawHome, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(h.runtime.node, [h.runtime.openclaw, ...args], { env: envOf(h), timeout: timeoutMs, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout + stderr);
      else reject(new Error(`openclaw ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
    });
  });
}

/** The gateway log so far (ANSI colours removed). */
export function gatewayLog(h: OpenClawHome): string {
  try {
    // eslint-disable-next-line no-control-regex
    return readFileSync(h.logFile, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  } catch {
    return "";
  }
}

/**
 * Starts `openclaw gateway run --bind loopback` detached (its PID in `pidFile`) and waits for
 * `[gateway] ready` after `since` log bytes. Rejects with the log's tail if it exits or stays silent.
 */
export async function startGateway(h: OpenClawHome, timeoutMs = 240_000): Promise<number> {
  const since = gatewayLog(h).length;
  const out = openSync(h.logFile, "a");
  const child = spawn(h.runtime.node, [h.runtime.openclaw, "gateway", "run", "--bind", "loopback", "--port", String(h.port), "--verbose"], {
    env: envOf(h),
    stdio: ["ignore", out, out],
    detached: true,
  });
  child.unref();
  const pid = child.pid!;
  writeFileSync(h.pidFile, String(pid));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (/\[gateway\] ready\b/.test(gatewayLog(h).slice(since))) return pid;
    if (!alive(pid)) throw new Error(`the gateway exited before it was ready:\n${gatewayLog(h).slice(since).slice(-3000)}`);
    if (Date.now() > deadline) {
      await stopGateway(h);
      throw new Error(`the gateway was not ready within ${timeoutMs} ms:\n${gatewayLog(h).slice(since).slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM (SIGKILL after 10 s) the gateway named in `pidFile`, and wait until it is gone. */
export async function stopGateway(h: OpenClawHome): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(h.pidFile, "utf8"));
  } catch {
    return;
  }
  if (!(pid > 0) || !alive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILL the gateway's whole process group (a crash), and wait until it is gone. */
export async function killGateway(h: OpenClawHome): Promise<void> {
  const pid = Number(readFileSync(h.pidFile, "utf8"));
  if (!(pid > 0)) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    return;
  }
  while (alive(pid) || groupAlive(pid)) await new Promise((r) => setTimeout(r, 100));
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The paths of a home under `root`. */
export function homeIn(root: string, runtime: OpenClawRuntime, port: number): OpenClawHome {
  const home = join(root, "home");
  return { runtime, home, stateDir: join(home, ".openclaw"), port, logFile: join(root, "gateway.log"), pidFile: join(root, "gateway.pid") };
}
