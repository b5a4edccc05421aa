import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pluginSetup from "@botschat/agent-testkit/globalSetup";

/**
 * The browser suites run the real programs: the relay and the demo agent from private copies of
 * their bundles (the plugin's test setup, which includes the relay's), and the web app built by
 * vite into a folder of this run, so a rebuild of `apps/web/dist` meanwhile cannot pull the app
 * away from a running suite. The relay serves that folder (`BOTSCHAT_E2E_WEB_DIR`).
 */
export default function setup(): () => void {
  const teardown = pluginSetup();
  const webRoot = fileURLToPath(new URL("../..", import.meta.url));
  const outDir = join(mkdtempSync(join(process.env["BOTSCHAT_TEST_TMP"]!, "web-")), "dist");
  execFileSync("pnpm", ["exec", "vite", "build", "--logLevel", "error", "--outDir", outDir, "--emptyOutDir"], {
    cwd: webRoot,
    stdio: "inherit",
  });
  if (!existsSync(join(outDir, "index.html"))) throw new Error(`vite build wrote no index.html to ${outDir}`);
  process.env["BOTSCHAT_E2E_WEB_DIR"] = outDir;
  return teardown;
}
