import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Beside the build folder once vite has built the app into it. */
export const BUILD_OK = "built";
/** Beside the build folder, with vite's output, when the build failed. */
export const BUILD_FAILED = "build-failed";

/**
 * The web app built for this run (`BOTSCHAT_E2E_WEB_DIR`), once the global setup's background
 * build has finished; throws with vite's output if it failed.
 */
export async function builtWebDir(timeoutMs = 300_000): Promise<string> {
  const web = process.env["BOTSCHAT_E2E_WEB_DIR"];
  if (web === undefined) throw new Error("BOTSCHAT_E2E_WEB_DIR is not set: run through apps/web/vitest.e2e.config.ts");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(join(dirname(web), BUILD_OK))) return web;
    const failed = join(dirname(web), BUILD_FAILED);
    if (existsSync(failed)) throw new Error(`the web build for the browser suites failed: ${readFileSync(failed, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`the web build for the browser suites did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
