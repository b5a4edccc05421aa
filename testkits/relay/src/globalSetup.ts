import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relayDir } from "./workspacePaths.js";

/**
 * Integration suites run the real `botschat-relay` bundle: build it once before they start. Every
 * temp directory the suites make goes under one folder that is removed when the run ends, since
 * test workers may be ended before their own exit hooks run. The suites run a private copy of the
 * bundle (beside `dist/`, so its dependencies resolve alike): `pnpm start` under test rebuilds
 * `dist/`, which must not pull the program away from suites running at the same time.
 */
export default function setup(): () => void {
  const cwd = relayDir();
  execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd, stdio: "inherit" });
  const root = mkdtempSync(join(tmpdir(), "botschat-test-run-"));
  process.env["BOTSCHAT_TEST_TMP"] = root;
  const copyDir = join(cwd, ".test-bundle");
  const copy = join(copyDir, `main-${process.pid}.js`);
  if (process.env["BOTSCHAT_RELAY_MAIN"] === undefined) {
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(join(cwd, "dist", "main.js"), copy);
    process.env["BOTSCHAT_RELAY_MAIN"] = copy;
  }
  return () => {
    rmSync(root, { recursive: true, force: true });
    rmSync(copy, { force: true });
  };
}
