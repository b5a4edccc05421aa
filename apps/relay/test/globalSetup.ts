import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Integration suites run the real `botschat-relay` bundle: build it once before they start. Every
 * temp directory the suites make goes under one folder that is removed when the run ends, since
 * test workers may be ended before their own exit hooks run.
 */
export default function setup(): () => void {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd, stdio: "inherit" });
  const root = mkdtempSync(join(tmpdir(), "botschat-test-run-"));
  process.env["BOTSCHAT_TEST_TMP"] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
