import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { agentDir } from "@botschat/relay-testkit";

/** The bundle to run: `BOTSCHAT_AGENT_MAIN` (the private copy the kit's globalSetup made), else the agent's `dist/main.js`. */
const agentMain = (): string => process.env["BOTSCHAT_AGENT_MAIN"] ?? join(agentDir(), "dist", "main.js");

/** A running `botschat-agent` process. */
export interface AgentProcess {
  proc: ChildProcess;
  /** stdout lines, and stderr lines prefixed with `stderr: `. */
  lines: string[];
  exited: Promise<number | null>;
  /** Types into the agent's terminal (only with `terminal: true`). */
  type(text: string): void;
  /** Resolves once a line, or the unfinished last line, matches (rejects if the process exits first or after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

/**
 * Starts `botschat-agent` with `args` and extra environment variables. With `terminal`, it runs
 * in a pseudo-terminal (util-linux `script`, which every Debian has), so its stdin is a TTY that
 * {@link AgentProcess.type} writes to; its stdout and stderr then arrive together on stdout.
 */
export function spawnAgent(args: string[], extraEnv: Record<string, string> = {}, options: { terminal?: boolean } = {}): AgentProcess {
  // Tests read the activity lines by channel and task names (a person's terminal shows them).
  const env = { BOTSCHAT_LOG_NAMES: "1", ...extraEnv };
  const command = [process.execPath, agentMain(), ...args];
  const proc = options.terminal
    ? spawn("script", ["--quiet", "--return", "--command", `exec ${command.map(shellQuote).join(" ")}`, "/dev/null"], {
        env: { ...process.env, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      })
    : spawn(command[0]!, command.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of waiters) w();
  };
  createInterface({ input: proc.stdout! }).on("line", onLine);
  // A prompt waits on a line without its newline: kept here until the line ends.
  let partial = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    partial = (partial + chunk.toString("utf8")).split(/\r?\n/).at(-1) ?? "";
    for (const w of waiters) w();
  });
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
        const hit = lines.find((l) => pattern.test(l)) ?? (pattern.test(partial) ? partial : undefined);
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
  const type = (text: string) => {
    if (proc.stdin === null) throw new Error("the agent does not run in a terminal");
    proc.stdin.write(text);
  };
  return { proc, lines, exited, type, waitFor, kill9: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}
