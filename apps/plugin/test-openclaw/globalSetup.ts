import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import relaySetup from "@botschat/relay-testkit/globalSetup";
import { serveLocks } from "@botschat/relay-testkit/exclusive";
import { startRelay, type RelayProcess } from "@botschat/relay-testkit";
import { cli, homeIn, startGateway, stopGateway, type OpenClawHome } from "./gateway.js";
import { startMockModel } from "./mockModel.js";
import { findRuntime, RUNTIME_DIR } from "./runtime.js";
import { startDevice } from "../test/workspace.js";
import { GATEWAY_ID, PASSPHRASE, type SuiteContext } from "./suite.js";

declare module "vitest" {
  export interface ProvidedContext {
    openclaw: SuiteContext;
  }
}

/**
 * One OpenClaw gateway for the whole suite: Node 24 and OpenClaw from the runtime folder, an
 * isolated HOME and state dir, the plugin built, packed and installed from its tarball, the mock
 * model and the real relay on loopback, and a workspace (account, vault, pairing token) the
 * plugin is configured for. Tests get a {@link SuiteContext}.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runtime = findRuntime();
  const pluginDir = fileURLToPath(new URL("..", import.meta.url));
  const relayTeardown = relaySetup();
  const root = mkdtempSync(join(process.env["BOTSCHAT_TEST_TMP"] ?? tmpdir(), "openclaw-"));
  const cleanups: (() => Promise<void> | void)[] = [relayTeardown];
  // The lock that keeps the suite's files to one at a time (ready.ts).
  cleanups.push(await serveLocks());
  const teardown = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    // A private build (a concurrent `tsup` of the agent cleans dist/), packed as a person would.
    const packageDir = join(root, "package");
    execFileSync("pnpm", ["exec", "tsup", "--silent", "--config", "tsup.openclaw.config.ts"], {
      cwd: pluginDir,
      stdio: "inherit",
      env: { ...process.env, BOTSCHAT_OPENCLAW_OUT: packageDir },
    });
    const packDir = join(root, "pack");
    mkdirSync(packDir);
    execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: packageDir, stdio: "ignore" });
    const tarball = join(
      packDir,
      readdirSync(packDir).find((f) => f.endsWith(".tgz"))!,
    );

    let relay: RelayProcess | undefined = await startRelay();
    const relayPort = relay.port;
    const relayDataDir = relay.dataDir;
    cleanups.push(async () => void (await relay?.stop()));
    // The gateway's part of the setup (installing the plugin, configuring, starting the gateway:
    // the slow part) goes on while the other projects' tests run; this suite's files wait for it
    // at the control's `/ready` (see ready.ts) before anything else.
    let gatewayReady: Promise<void> = Promise.reject(new Error("the gateway's setup did not start"));
    gatewayReady.catch(() => undefined);
    // Tests stop and start the relay again (same port and data) through a loopback control.
    const control = createHttpServer((req, res) => {
      if (req.url === "/ready") {
        gatewayReady.then(
          () => res.writeHead(204).end(),
          (e: unknown) => res.writeHead(500).end(e instanceof Error ? (e.stack ?? e.message) : String(e)),
        );
        return;
      }
      const act = async (): Promise<void> => {
        if (req.url === "/relay/stop" && relay !== undefined) {
          const r = relay;
          relay = undefined;
          await r.stop();
        } else if (req.url === "/relay/start" && relay === undefined) {
          relay = await startRelay({ dataDir: relayDataDir, args: ["--port", String(relayPort)] });
        }
      };
      act().then(
        () => res.writeHead(204).end(),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((r) => control.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => control.close(() => r())));
    const relayControlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}`;
    const model = await startMockModel();
    cleanups.push(() => model.close());

    // The person's first device makes the account and the vault; the tests' devices join it.
    const owner = await startDevice(relay.url);
    await owner.stop();
    const pairingToken = await owner.pairingToken();
    const backendToken = randomBytes(16).toString("hex");

    const h = homeIn(root, runtime, await freePort());
    mkdirSync(h.stateDir, { recursive: true });
    cleanups.push(() => stopGateway(h));
    // The last run's gateway log stays beside the runtime, for a look after a failure.
    cleanups.push(() => {
      if (existsSync(h.logFile)) copyFileSync(h.logFile, join(RUNTIME_DIR, "last-gateway.log"));
    });
    process.once("exit", () => void stopGateway(h));
    gatewayReady = startConfiguredGateway(h, tarball, relay.url, model.url, pairingToken, backendToken);
    gatewayReady.catch(() => undefined);
    // The teardown waits for the gateway's setup to end, so no gateway starts after it.
    cleanups.push(() => gatewayReady.catch(() => undefined));
    project.provide("openclaw", {
      root,
      port: h.port,
      relayUrl: relay.url,
      relayControlUrl,
      session: owner.session,
      mockUrl: model.url,
      backendToken,
      tarball,
      packageDir,
    });
    return teardown;
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Installs the plugin from `tarball` in the home, configures it for the relay and the mock model, and starts the gateway. */
async function startConfiguredGateway(
  h: OpenClawHome,
  tarball: string,
  relayUrl: string,
  modelUrl: string,
  pairingToken: string,
  backendToken: string,
): Promise<void> {
  await cli(h, ["plugins", "install", tarball, "--force", "--accept-capabilities"]);
  const modelDef = (id: string, name: string) => ({
    id,
    name,
    reasoning: true,
    input: ["text"],
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    contextWindow: 128000,
    maxTokens: 4096,
  });
  const config = [
    { path: "gateway.mode", value: "local" },
    { path: "gateway.port", value: h.port },
    { path: "gateway.bind", value: "loopback" },
    { path: "models.mode", value: "merge" },
    {
      path: "models.providers.mock",
      value: {
        baseUrl: `${modelUrl}/v1`,
        apiKey: "mock-local",
        api: "openai-completions",
        models: [modelDef("mock-1", "Mock 1"), modelDef("mock-2", "Mock 2")],
      },
    },
    { path: "agents.defaults.model", value: { primary: "mock/mock-1" } },
    { path: "agents.defaults.models", value: { "mock/mock-1": {}, "mock/mock-2": {} } },
    // Reasoning a model streams reaches the channel's reply callbacks (onReasoningStream) only
    // with reasoning visibility "stream" and a thinking level other than "off".
    { path: "agents.defaults.reasoningDefault", value: "stream" },
    { path: "agents.defaults.thinkingDefault", value: "low" },
    { path: "plugins.entries.botschat.config", value: { backendRouteToken: backendToken } },
    {
      path: "channels.botschat",
      value: { enabled: true, cloudUrl: relayUrl, pairingToken, e2ePassword: PASSPHRASE, name: "Test OpenClaw", gatewayId: GATEWAY_ID },
    },
  ];
  await cli(h, ["config", "set", "--batch-json", JSON.stringify(config)]);
  await startGateway(h);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
