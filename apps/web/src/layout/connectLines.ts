/**
 * What a person pastes on the machine that should join their workspace with a new pairing token.
 * The OpenClaw lines are the same as `setupLines()` of the OpenClaw plugin
 * (apps/plugin/src/openclaw/setupLines.ts; the web app cannot import the plugin, so they are
 * restated here and a test pins their shape). The passphrase is never part of any line: the
 * OpenClaw lines ask for it without echo, the demo agent asks for it when it starts.
 */
export interface ConnectLines {
  /** Install the plugin, configure the channel, ask for the passphrase, restart, check. */
  openclaw: string[];
  /** Runs the built-in demo agent from a BotsChat checkout. */
  demo: string;
}

/** Where the OpenClaw lines expect the plugin package: the folder built by `build:openclaw`. */
export const OPENCLAW_PLUGIN_PATH = "./botschat-openclaw";

/**
 * The connect lines for a relay, a pairing token and the gateway's name.
 *
 * @example
 * connectLines({ relayUrl: location.origin, pairingToken: "bc_pat_…", name: "Home gateway" }).openclaw.join("\n");
 */
export function connectLines(input: { relayUrl: string; pairingToken: string; name: string }): ConnectLines {
  const config = [
    { path: "channels.botschat.enabled", value: true },
    { path: "channels.botschat.cloudUrl", value: input.relayUrl },
    { path: "channels.botschat.pairingToken", value: input.pairingToken },
    { path: "channels.botschat.name", value: input.name },
  ];
  return {
    openclaw: [
      `openclaw plugins install ${shellQuote(OPENCLAW_PLUGIN_PATH)} --force --accept-capabilities`,
      `openclaw config set --batch-json ${shellQuote(JSON.stringify(config))}`,
      `read -rsp "Workspace passphrase: " BOTSCHAT_PASS && echo && openclaw config set channels.botschat.e2ePassword "$BOTSCHAT_PASS"; unset BOTSCHAT_PASS`,
      "openclaw gateway restart",
      "openclaw channels status",
    ],
    demo: `pnpm agent:demo --relay ${shellQuote(input.relayUrl)} --token ${shellQuote(input.pairingToken)}`,
  };
}

/** A word for a POSIX shell, single-quoted when it needs to be. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}
