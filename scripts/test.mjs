#!/usr/bin/env node
// Runs the whole test suite once and ends with the plain summary line `N passed, N failed`
// (read from vitest's JSON report, since its own summary is not a stable format).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const report = join(root, ".vitest-report.json");
rmSync(report, { force: true });

// What the suites need beyond `pnpm install`, prepared here so that `pnpm test` works on a fresh
// clone whatever ran before it: the OpenClaw suite's runtime (Node 24 and openclaw, from the npm
// registry, a no-op once installed). What only the system can provide is named in one line each.
if (!process.env["BOTSCHAT_OPENCLAW_RUNTIME"]) {
  const installed = spawnSync(join(root, "apps/plugin/test-openclaw/install-runtime.sh"), [], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (installed.status !== 0)
    console.log("pnpm test: installing Node 24 and openclaw for the OpenClaw suite failed (it needs the npm registry); that suite will fail");
}
const chromium = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
if (!existsSync(chromium))
  console.log(`pnpm test: no Chromium at ${chromium}; the browser suites will fail: apt-get install -y chromium (or set CHROMIUM_PATH)`);

const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("pnpm", ["exec", ...args], { cwd: root, stdio: "inherit" });

let passed = 0;
// No report at all means vitest itself failed to run: count that as a failure.
let failed = 1;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTests ?? 0);
  // A file that failed with no failed test of its own (it did not load, or a hook before its
  // tests failed and they were skipped) counts as one failure.
  for (const file of r.testResults ?? []) {
    if (file.status === "failed" && !(file.assertionResults ?? []).some((a) => a.status === "failed")) failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
