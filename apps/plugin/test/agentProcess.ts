import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The bundle built by test/globalSetup.ts (a private copy), else dist/main.js. */
export const AGENT_MAIN = process.env["BOTSCHAT_AGENT_MAIN"] ?? fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** A running `botschat-agent` process. */
export interface AgentProcess {
  proc: ChildProcess;
  /** stdout lines, and stderr lines prefixed with `stderr: `. */
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves once a line matches (rejects if the process exits first or after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

/** Starts `botschat-agent` with `args` and extra environment variables. */
export function spawnAgent(args: string[], env: Record<string, string> = {}): AgentProcess {
  const proc = spawn(process.execPath, [AGENT_MAIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of waiters) w();
  };
  createInterface({ input: proc.stdout! }).on("line", onLine);
  createInterface({ input: proc.stderr! }).on("line", (l) => onLine(`stderr: ${l}`));
  const exited = new Promise<number | null>((resolve) =>
    proc.once("exit", (code) => {
      live.delete(proc);
      for (const w of waiters) w();
      resolve(code);
    }),
  );
  const waitFor = (pattern: RegExp, ms = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${ms} ms:\n${lines.join("\n")}`)), ms);
      const check = () => {
        const hit = lines.find((l) => pattern.test(l));
        if (hit !== undefined) done(hit);
        else if (proc.exitCode !== null || proc.signalCode !== null) done(new Error(`the agent exited before ${pattern}:\n${lines.join("\n")}`));
      };
      const done = (r: string | Error) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      waiters.add(check);
      check();
    });
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { proc, lines, exited, waitFor, kill9: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}
