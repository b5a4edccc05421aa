// `pnpm exec tsx apps/web/e2e/harness/checkHarness.ts`: starts what the browser suites start (a
// relay serving a placeholder page, Chromium, a seeded workspace, the demo agent), checks each
// answers, stops them all and checks that no process of theirs is left. For working on the
// harness itself; the suites do not run it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pluginSetup from "@botschat/agent-testkit/globalSetup";

const teardown = pluginSetup();
const t0 = Date.now();
const lap = (what: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${what}`);
const { startRelay, tempDir } = await import("@botschat/relay-testkit");
const { launchChromium, newDevice } = await import("./chromium.js");
const { startDemoAgent } = await import("./demoAgent.js");
const { seedWorkspace, waitForGateway } = await import("./seedWorkspace.js");

const children = (): string[] => {
  try {
    // tsx's own esbuild service is a child too; it is not ours to stop.
    const lines = execFileSync("pgrep", ["-l", "-P", String(process.pid)], { encoding: "utf8" }).split("\n");
    return lines.filter((l) => l !== "" && !l.includes("esbuild"));
  } catch {
    return [];
  }
};

const web = join(tempDir("botschat-e2e-web-"), "dist");
mkdirSync(web, { recursive: true });
writeFileSync(join(web, "index.html"), "<!doctype html><title>placeholder</title><main><h1>BotsChat placeholder</h1></main>");
try {
  const [relay, browser] = await Promise.all([startRelay({ args: ["--web", web, "--log-level", "warn"] }), launchChromium()]);
  lap(`relay on ${relay.url}, Chromium ${browser.version()}`);
  const context = await newDevice(browser, relay.url);
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("heading", { name: "BotsChat placeholder" }).waitFor();
  lap("the page loaded");
  const ws = await seedWorkspace(relay.url);
  lap(`seeded ${ws.email}`);
  const agent = await startDemoAgent({ relayUrl: relay.url, token: await ws.pairingToken(), passphrase: ws.passphrase });
  lap("demo agent live");
  lap(`gateway ${await waitForGateway(ws)} published`);
  console.log(`children while running: ${children().length}`);
  await context.close();
  await agent.stop();
  await ws.stop();
  await browser.close();
  await relay.stop();
  lap("stopped");
  const left = children();
  console.log(left.length === 0 ? "no process left" : `LEFT RUNNING: ${left.join(", ")}`);
  process.exitCode = left.length === 0 ? 0 : 1;
} finally {
  teardown();
}
