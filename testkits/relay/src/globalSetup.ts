import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relayDir } from "./workspacePaths.js";

/**
 * What the setups of one test run share, kept on `globalThis`: every project's global setup runs
 * in vitest's main process, but each project loads its setup files anew, so module state is not
 * shared between projects. Each program is built once per run, however many projects ask.
 */
interface RunState {
  /** The per-run temp folder. */
  root: string;
  /** Setups that have not been torn down yet; the last teardown removes what the run made. */
  users: number;
  /** The private copies of bundles made this run, by program (removed at the end). */
  copies: Map<string, string>;
  /** The environment variables the run set, with the values they had before (put back at the end). */
  env: Map<string, string | undefined>;
}

const KEY = Symbol.for("botschat.testkit.run");

function runState(): RunState {
  const g = globalThis as { [KEY]?: RunState };
  let state = g[KEY];
  if (state === undefined) {
    state = { root: mkdtempSync(join(tmpdir(), "botschat-test-run-")), users: 0, copies: new Map(), env: new Map() };
    g[KEY] = state;
  }
  return state;
}

/**
 * Joins the run's shared setup: its temp folder (`BOTSCHAT_TEST_TMP`). Answers the teardown,
 * which removes the folder and every private bundle copy once the last setup has left.
 */
export function joinRun(): () => void {
  const state = runState();
  state.users += 1;
  setRunEnv("BOTSCHAT_TEST_TMP", state.root);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    state.users -= 1;
    if (state.users > 0) return;
    rmSync(state.root, { recursive: true, force: true });
    for (const copy of state.copies.values()) rmSync(copy, { force: true });
    for (const [name, before] of state.env) {
      if (before === undefined) delete process.env[name];
      else process.env[name] = before;
    }
    delete (globalThis as { [KEY]?: RunState })[KEY];
  };
}

/** Sets an environment variable for the rest of the run (the workers inherit it); put back at its end. */
export function setRunEnv(name: string, value: string): void {
  const state = runState();
  if (!state.env.has(name)) state.env.set(name, process.env[name]);
  process.env[name] = value;
}

/** The value a variable had before the run set it (its current value if the run did not). */
export function envBeforeRun(name: string): string | undefined {
  const state = runState();
  return state.env.has(name) ? state.env.get(name) : process.env[name];
}

/**
 * Builds the package in `cwd` with tsup and copies its `dist/main.js` beside `dist/` (so its
 * dependencies resolve alike) under a name of this process; once per run for each `cwd`.
 * Answers the copy's path.
 */
export function buildOnce(cwd: string): string {
  const state = runState();
  const made = state.copies.get(cwd);
  if (made !== undefined) return made;
  execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd, stdio: "inherit" });
  const copyDir = join(cwd, ".test-bundle");
  const copy = join(copyDir, `main-${process.pid}.js`);
  mkdirSync(copyDir, { recursive: true });
  copyFileSync(join(cwd, "dist", "main.js"), copy);
  state.copies.set(cwd, copy);
  return copy;
}

/**
 * Integration suites run the real `botschat-relay` bundle: build it once before they start (once
 * per run, however many projects use this setup). Every temp directory the suites make goes under
 * one folder that is removed when the run ends, since test workers may be ended before their own
 * exit hooks run. The suites run a private copy of the bundle (beside `dist/`, so its
 * dependencies resolve alike): `pnpm start` under test rebuilds `dist/`, which must not pull the
 * program away from suites running at the same time. A `BOTSCHAT_RELAY_MAIN` set before the run
 * names another build to run instead.
 */
export default function setup(): () => void {
  const teardown = joinRun();
  const copy = buildOnce(relayDir());
  if (envBeforeRun("BOTSCHAT_RELAY_MAIN") === undefined) setRunEnv("BOTSCHAT_RELAY_MAIN", copy);
  return teardown;
}
