// `botschat-setup`: connects this machine's OpenClaw gateway to a BotsChat workspace in one go.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setupConfig, setupLines, type SetupInput } from "@botschat/protocol";
import { readPassphrase } from "../readPassphrase.js";

const HELP = `botschat-setup — connect your OpenClaw gateway to a BotsChat workspace

  botschat-setup --relay <url> --token <bc_pat_…> [--name <name>] [--plugin <path|tgz>]
                 [--passphrase-file <path>] [--print]

Installs this plugin into OpenClaw (openclaw plugins install), writes channels.botschat with
openclaw config set (one batch, passphrase included, never on the command line), then tells you
to restart the gateway. The passphrase comes from --passphrase-file, BOTSCHAT_PASSPHRASE, or is
asked without echo. --print only prints the equivalent shell lines.
`;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("openclaw", args, { maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`openclaw ${args[0]} ${args[1] ?? ""} failed:\n${(stderr || stdout).trim().split("\n").slice(-5).join("\n")}`));
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      relay: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      plugin: { type: "string" },
      "passphrase-file": { type: "string" },
      print: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.relay === undefined || values.token === undefined) {
    process.stderr.write(`botschat-setup: --relay and --token are needed\n\n${HELP}`);
    return 2;
  }
  const input: SetupInput = {
    relayUrl: values.relay,
    pairingToken: values.token,
    name: values.name ?? "OpenClaw",
    // This file sits in the plugin package itself, which is what gets installed by default.
    plugin: values.plugin ?? fileURLToPath(new URL(".", import.meta.url)),
  };
  if (values.print === true) {
    process.stdout.write(setupLines(input).join("\n") + "\n");
    return 0;
  }
  const pass = await readPassphrase(values["passphrase-file"], process.env);
  if (!pass.ok) {
    process.stderr.write(`botschat-setup: ${pass.message}\n`);
    return 2;
  }
  process.stdout.write(`installing the BotsChat plugin from ${input.plugin}…\n`);
  await run(["plugins", "install", input.plugin, "--force", "--accept-capabilities"]);
  const dir = await mkdtemp(join(tmpdir(), "botschat-setup-"));
  const file = join(dir, "config.json");
  try {
    await writeFile(file, JSON.stringify([...setupConfig(input), { path: "channels.botschat.e2ePassword", value: pass.passphrase }]), { mode: 0o600 });
    process.stdout.write("writing channels.botschat…\n");
    await run(["config", "set", "--batch-file", file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write("done. Restart the gateway (openclaw gateway restart), then check: openclaw channels status\n");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`botschat-setup: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
