import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pluginSetup from "@botschat/agent-testkit/globalSetup";
import { serveLocks } from "@botschat/relay-testkit/exclusive";
import { BUILD_FAILED, BUILD_OK } from "./webBuild.js";

/**
 * The browser suites run the real programs: the relay and the demo agent from private copies of
 * their bundles (the plugin's test setup, which includes the relay's), and the web app built by
 * vite into a folder of this run, so a rebuild of `apps/web/dist` meanwhile cannot pull the app
 * away from a running suite. The relay serves that folder (`BOTSCHAT_E2E_WEB_DIR`).
 *
 * The build runs in the background while the other projects' tests run (the browser suites come
 * after them); it marks the folder built, or failed with vite's output, and the suites wait for
 * that mark (`builtWebDir`). It also serves the run's locks, which keep the suites to one file at a
 * time (`oneFileAtATime.ts`).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const teardown = pluginSetup();
  const stopLocks = await serveLocks();
  const webRoot = fileURLToPath(new URL("../..", import.meta.url));
  const outDir = join(mkdtempSync(join(process.env["BOTSCHAT_TEST_TMP"]!, "web-")), "dist");
  const vite = join(dirname(createRequire(join(webRoot, "package.json")).resolve("vite/package.json")), "bin", "vite.js");
  const build = spawn(process.execPath, [vite, "build", "--logLevel", "error", "--outDir", outDir, "--emptyOutDir"], {
    cwd: webRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  build.stdout.on("data", (d: Buffer) => (output += d.toString()));
  build.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const built = new Promise<void>((resolve) => {
    const fail = (why: string) => {
      console.error(`vite build for the browser suites failed (${why}):\n${output}`);
      writeFileSync(join(dirname(outDir), BUILD_FAILED), `${why}\n${output}`);
      resolve();
    };
    build.once("error", (e) => fail(String(e)));
    build.once("close", (code, signal) => {
      if (code !== 0) fail(`exit code ${code}, signal ${signal}`);
      else if (!existsSync(join(outDir, "index.html"))) fail(`vite build wrote no index.html to ${outDir}`);
      else {
        writeFileSync(join(dirname(outDir), BUILD_OK), "");
        resolve();
      }
    });
  });
  process.env["BOTSCHAT_E2E_WEB_DIR"] = outDir;
  return async () => {
    if (build.exitCode === null && build.signalCode === null) build.kill("SIGTERM");
    await built;
    await stopLocks();
    teardown();
  };
}
