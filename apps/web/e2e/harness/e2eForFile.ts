import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { AgentProcess } from "@botschat/agent-testkit";
import { startRelay, type RelayProcess } from "@botschat/relay-testkit";
import { launchChromium, newDevice } from "./chromium.js";
import { startDemoAgent } from "./demoAgent.js";
import { seedChannel, seedWorkspace, waitForGateway, type SeededWorkspace } from "./seedWorkspace.js";
import { builtWebDir } from "./webBuild.js";

/** Where failing tests leave a picture of what the page showed (gitignored). */
export const FAILURE_DIR = fileURLToPath(new URL("../screenshots/failures/", import.meta.url));

/** A seeded workspace with the demo agent answering in one channel. */
export interface AgentWorkspace extends SeededWorkspace {
  agent: AgentProcess;
  /** The channel bound to the demo agent, with one session "General". */
  channel: string;
}

/** What a browser test file shares: one relay, one browser, and fresh devices per test. */
export interface E2EFile {
  relay: RelayProcess;
  browser: Browser;
  /** A new browser context (another device) on the relay, closed after the test. */
  device(opts?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** The file's seeded workspace with the demo agent (made on first use, shared by the file's tests). */
  agentWorkspace(): Promise<AgentWorkspace>;
}

/**
 * Registers the hooks of a browser test file: a relay serving the web build of this run, one
 * Chromium, a fresh context per `device()` call (closed after each test), and on demand one seeded
 * workspace with one demo agent for the file. Errors the pages logged are printed when a test fails,
 * with a screenshot of each open page.
 */
export function e2eForFile(opts: { agentDelayMs?: number } = {}): E2EFile {
  const contexts: { context: BrowserContext; errors: string[] }[] = [];
  let workspace: Promise<AgentWorkspace> | undefined;
  const fx: E2EFile = {
    relay: undefined as unknown as RelayProcess,
    browser: undefined as unknown as Browser,
    async device(options = {}) {
      const context = await newDevice(fx.browser, fx.relay.url, options);
      const errors: string[] = [];
      contexts.push({ context, errors });
      context.on("weberror", (e) => errors.push(`pageerror: ${e.error().message}`));
      context.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
      });
      const page = await context.newPage();
      return { context, page };
    },
    agentWorkspace() {
      workspace ??= (async () => {
        const ws = await seedWorkspace(fx.relay.url);
        const agent = await startDemoAgent({
          relayUrl: fx.relay.url,
          token: await ws.pairingToken(),
          passphrase: ws.passphrase,
          ...(opts.agentDelayMs === undefined ? {} : { delayMs: opts.agentDelayMs }),
        });
        const gateway = await waitForGateway(ws);
        const channel = "demo";
        await seedChannel(ws, gateway, channel);
        return { ...ws, agent, channel };
      })();
      return workspace;
    },
  };

  beforeAll(async () => {
    const web = await builtWebDir();
    [fx.relay, fx.browser] = await Promise.all([startRelay({ args: ["--web", web, "--log-level", "warn"] }), launchChromium()]);
  });

  afterEach(async (ctx) => {
    const failed = ctx.task.result?.state === "fail";
    for (const [i, { context, errors }] of contexts.entries()) {
      if (failed) {
        mkdirSync(FAILURE_DIR, { recursive: true });
        for (const [j, page] of context.pages().entries()) {
          const name = `${ctx.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}-${i}-${j}.png`;
          await page.screenshot({ path: FAILURE_DIR + name, fullPage: true }).catch(() => undefined);
          console.log(`device ${i} page ${j} at ${page.url()}; screenshot ${FAILURE_DIR}${name}`);
        }
        if (errors.length > 0) console.log(`device ${i} logged:\n  ${errors.join("\n  ")}`);
      }
      await context.close().catch(() => undefined);
    }
    contexts.length = 0;
  });

  afterAll(async () => {
    const ws = await workspace?.catch(() => undefined);
    await ws?.agent.stop();
    await ws?.stop().catch(() => undefined);
    await fx.browser?.close();
    await fx.relay?.stop();
  });
  return fx;
}
