#!/usr/bin/env node
// `pnpm bench [package-filter...]`: builds what the benchmarks need, runs every
// `apps/*/bench/*.bench.ts` and `libs/*/bench/*.bench.ts` in sequence as a plain Node script
// (through tsx), and ends with a summary of every measurement against its budget (docs/design.md,
// "Budgets"). Budgets are tracked, not gates: a missed budget prints MISSED and the exit code
// stays 0; a benchmark that fails to run makes it 1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, release, tmpdir, totalmem } from "node:os";
import { basename, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);
const started = Date.now();

/** One line about the machine, since every number below depends on it. */
function machine() {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? "unknown cpu";
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" });
  return {
    date: new Date().toISOString(),
    cpu: model,
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    commit: git.status === 0 ? git.stdout.trim() + (dirty.stdout.trim() ? " (with uncommitted changes)" : "") : "unknown",
  };
}

/**
 * Packages with a bench/ folder of `*.bench.ts` files, optionally filtered by name or folder, or by
 * a bench file's name (`pnpm bench roundtrip` runs `roundTrip.bench.ts` alone).
 */
function benchPackages() {
  const found = [];
  for (const group of ["libs", "apps"]) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const folder of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, folder);
      const benchDir = join(dir, "bench");
      if (!existsSync(join(dir, "package.json")) || !existsSync(benchDir)) continue;
      const files = readdirSync(benchDir)
        .filter((f) => f.endsWith(".bench.ts"))
        .sort()
        .map((f) => join(benchDir, f));
      if (files.length === 0) continue;
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const name = manifest.name ?? folder;
      const whole = filters.length === 0 || filters.some((f) => name.includes(f) || `${group}/${folder}`.includes(f));
      const named = files.filter((file) => filters.some((f) => basename(file, ".bench.ts").toLowerCase().includes(f.toLowerCase())));
      if (!whole && named.length === 0) continue;
      found.push({ name, dir, files: whole ? files : named, buildable: Boolean(manifest.scripts?.build) });
    }
  }
  return found;
}

const info = machine();
console.log("BotsChat benchmarks");
console.log(`date     ${info.date}`);
console.log(`machine  ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB RAM (${info.freeGiB} GiB free)`);
console.log(`runtime  Node ${info.node}, ${info.os}`);
console.log(`commit   ${info.commit}`);

const packages = benchPackages();
if (packages.length === 0) {
  console.log(`\nno bench/*.bench.ts files${filters.length ? ` for ${filters.join(", ")}` : ""}`);
  process.exit(filters.length ? 1 : 0);
}

const resultsFile = join(tmpdir(), `botschat-bench-${process.pid}.jsonl`);
rmSync(resultsFile, { force: true });
const failures = [];

for (const pkg of packages) {
  if (pkg.buildable) {
    console.log(`\n==> build ${pkg.name}`);
    const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", `--filter=${pkg.name}`, "--output-logs=errors-only"], {
      cwd: root,
      stdio: "inherit",
    });
    if (build.status !== 0) {
      failures.push(`${pkg.name}: build failed`);
      continue;
    }
  }
  for (const file of pkg.files) {
    const rel = relative(root, file);
    console.log(`\n==> ${rel}`);
    const t0 = Date.now();
    const run = spawnSync("pnpm", ["exec", "tsx", file], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, BOTSCHAT_BENCH_RESULTS: resultsFile },
      timeout: 10 * 60_000,
      killSignal: "SIGKILL",
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (run.status !== 0) {
      const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`;
      failures.push(`${rel}: ${why}`);
      console.log(`FAILED ${rel} (${why}, ${secs} s)`);
    } else {
      console.log(`(${secs} s)`);
    }
  }
}

const records = existsSync(resultsFile)
  ? readFileSync(resultsFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(resultsFile, { force: true });

// Keep the latest numbers (gitignored) for whoever records them.
mkdirSync(join(root, "bench-results"), { recursive: true });
writeFileSync(join(root, "bench-results", "latest.json"), JSON.stringify({ machine: info, measurements: records, failures }, null, 2) + "\n");

const ok = records.filter((r) => r.status === "OK").length;
const missed = records.filter((r) => r.status === "MISSED");
const rule = "-".repeat(96);
console.log(`\nSummary (${info.date}, ${info.cpu}, ${info.cores} cores, Node ${info.node})`);
console.log(rule);
for (const r of records) console.log(r.line);
console.log(rule);
for (const f of failures) console.log(`FAILED  ${f}`);
console.log(
  `${ok} within budget, ${missed.length} MISSED${missed.length ? ` (${missed.map((r) => `${r.pkg} ${r.name}`).join("; ")})` : ""}, ` +
    `${failures.length} failed to run; ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failures.length > 0 ? 1 : 0);
