/** What the setup needs to know; the passphrase is never part of it. */
export interface SetupInput {
  /** The relay's URL, `https://host[:port]`. */
  relayUrl: string;
  /** A pairing token (`bc_pat_…`) made in the web app. */
  pairingToken: string;
  /** The gateway's name in the workspace. */
  name: string;
  /** What `openclaw plugins install` takes: a path, a packed `.tgz`, or an npm spec. */
  plugin: string;
}

/**
 * The channel's config for `openclaw config set --batch-json` (without the passphrase).
 *
 * @example
 * setupConfig({ relayUrl: "https://chat.example.org", pairingToken: "bc_pat_x", name: "Home", plugin: "./botschat.tgz" });
 */
export function setupConfig(input: SetupInput): { path: string; value: unknown }[] {
  return [
    { path: "channels.botschat.enabled", value: true },
    { path: "channels.botschat.cloudUrl", value: input.relayUrl },
    { path: "channels.botschat.pairingToken", value: input.pairingToken },
    { path: "channels.botschat.name", value: input.name },
  ];
}

/**
 * Shell lines a person can paste to connect their OpenClaw gateway: install the plugin, write
 * the channel's config in one go, type the passphrase (asked without echo, never shown nor kept
 * in the shell history), restart the gateway and check the account. `botschat-setup --print`
 * prints them, and the web app shows them beside a new pairing token.
 */
export function setupLines(input: SetupInput): string[] {
  return [
    `openclaw plugins install ${shellQuote(input.plugin)} --force --accept-capabilities`,
    `openclaw config set --batch-json ${shellQuote(JSON.stringify(setupConfig(input)))}`,
    `read -rsp "Workspace passphrase: " BOTSCHAT_PASS && echo && openclaw config set channels.botschat.e2ePassword "$BOTSCHAT_PASS"; unset BOTSCHAT_PASS`,
    "openclaw gateway restart",
    "openclaw channels status",
  ];
}

/** A word for a POSIX shell, single-quoted when it needs to be. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}
