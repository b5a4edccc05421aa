import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPairingToken } from "@botschat/relay-testkit";
import { cli, envOf, homeIn } from "./gateway.js";
import { findRuntime, RUNTIME_DIR } from "./runtime.js";
import { suite } from "./suite.js";

const root = mkdtempSync(join(tmpdir(), "botschat-setup-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("botschat-setup", () => {
  it("installs the plugin from the tarball and writes the channel's config, passphrase included, in a fresh OpenClaw home", async () => {
    const s = suite();
    const runtime = findRuntime();
    const h = homeIn(root, runtime, 0);
    const token = (await createPairingToken(s.relayUrl, s.session, "setup test")).token;
    const env = {
      ...envOf(h),
      PATH: `${runtime.nodeBinDir}:${join(RUNTIME_DIR, "openclaw", "node_modules", ".bin")}:${process.env["PATH"] ?? ""}`,
      BOTSCHAT_PASSPHRASE: "setup test passphrase",
    };
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        runtime.node,
        [join(s.packageDir, "setup.js"), "--relay", s.relayUrl, "--token", token, "--name", "Set up by test", "--plugin", s.tarball],
        { env, timeout: 90_000 },
        (err, stdout, stderr) => (err === null ? resolve(stdout) : reject(new Error(`${err.message}\n${stdout}\n${stderr}`))),
      ),
    );
    expect(out).toContain("done.");
    expect(out).not.toContain("setup test passphrase");
    expect(await cli(h, ["plugins", "list"])).toMatch(/botschat[^\n]*enabled/);
    const config = JSON.parse(await cli(h, ["config", "get", "channels.botschat", "--json"])) as Record<string, unknown>;
    expect(config).toMatchObject({ enabled: true, cloudUrl: s.relayUrl, name: "Set up by test" });
    expect(config["e2ePassword"]).toBeDefined();
  });
});
