import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import relaySetup from "@botschat/relay-testkit/globalSetup";
import { agentDir } from "@botschat/relay-testkit";

/**
 * The relay's setup (its bundle, the per-run temp folder), then the `botschat-agent` bundle, run
 * from a private copy beside `dist/` so a concurrent rebuild cannot pull it away.
 */
export default function setup(): () => void {
  const relayTeardown = relaySetup();
  const cwd = agentDir();
  execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd, stdio: "inherit" });
  const copyDir = join(cwd, ".test-bundle");
  const copy = join(copyDir, `main-${process.pid}.js`);
  mkdirSync(copyDir, { recursive: true });
  copyFileSync(join(cwd, "dist", "main.js"), copy);
  process.env["BOTSCHAT_AGENT_MAIN"] = copy;
  return () => {
    relayTeardown();
    rmSync(copy, { force: true });
  };
}
