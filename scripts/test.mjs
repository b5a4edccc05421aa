#!/usr/bin/env node
// Runs the whole test suite once and ends with the plain summary line `N passed, N failed`
// (read from vitest's JSON report, since its own summary is not a stable format).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const report = join(root, ".vitest-report.json");
rmSync(report, { force: true });

const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("pnpm", ["exec", ...args], { cwd: root, stdio: "inherit" });

let passed = 0;
// No report at all means vitest itself failed to run: count that as a failure.
let failed = 1;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTests ?? 0);
  // A suite that failed to load counts as a failure even though none of its tests ran.
  for (const file of r.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
