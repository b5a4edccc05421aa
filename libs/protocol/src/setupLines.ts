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
 * The line that asks for the workspace passphrase and writes it into the channel's config. It
 * works in bash, zsh and sh (plain `read` with echo off through `stty`; zsh's `read` has no
 * `-s`/`-p`), and the passphrase is never a command-line argument (`ps` shows those): it goes
 * from an environment variable through `node` (which OpenClaw runs on) into a private
 * (`mktemp`, 0600) batch file that `openclaw config set --batch-file` reads, then removed.
 */
export const PASSPHRASE_LINE =
  `printf 'Workspace passphrase: '; stty -echo 2>/dev/null; IFS= read -r BOTSCHAT_PASS; stty echo 2>/dev/null; echo; ` +
  `f=$(mktemp) && BOTSCHAT_PASS="$BOTSCHAT_PASS" node -e 'process.stdout.write(JSON.stringify([{path:"channels.botschat.e2ePassword",value:process.env.BOTSCHAT_PASS}]))' > "$f" && ` +
  `openclaw config set --batch-file "$f"; rm -f "$f"; unset BOTSCHAT_PASS f`;

/**
 * Shell lines a person can paste to connect their OpenClaw gateway: install the plugin, write
 * the channel's config in one go, type the passphrase ({@link PASSPHRASE_LINE}: asked without
 * echo, never shown, kept in the shell history or put on a command line), restart the gateway and
 * check the account. `botschat-setup --print` prints them, and the web app shows them beside a new
 * pairing token.
 */
export function setupLines(input: SetupInput): string[] {
  return [
    `openclaw plugins install ${shellQuote(input.plugin)} --force --accept-capabilities`,
    `openclaw config set --batch-json ${shellQuote(JSON.stringify(setupConfig(input)))}`,
    PASSPHRASE_LINE,
    "openclaw gateway restart",
    "openclaw channels status",
  ];
}

/** A word for a POSIX shell, single-quoted when it needs to be. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}
