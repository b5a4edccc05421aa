import { homedir } from "node:os";
import { join } from "node:path";

/** The settings of `botschat-agent`, from flags and environment variables. */
export interface AgentArgs {
  demo: boolean;
  relayUrl: string;
  token: string | undefined;
  tokenFile: string | undefined;
  passphraseFile: string | undefined;
  dataDir: string;
  name: string;
  gatewayId: string | undefined;
  delayMs: number;
  connectRetries: number;
  help: boolean;
}

/** The outcome of {@link parseAgentArgs}. */
export type ParseAgentArgsResult = { ok: true; args: AgentArgs } | { ok: false; message: string };

const FLAGS = {
  "--relay": { env: "BOTSCHAT_RELAY_URL", key: "relayUrl" },
  "--token": { env: "BOTSCHAT_PAIRING_TOKEN", key: "token" },
  "--token-file": { env: "BOTSCHAT_PAIRING_TOKEN_FILE", key: "tokenFile" },
  "--passphrase-file": { env: "BOTSCHAT_PASSPHRASE_FILE", key: "passphraseFile" },
  "--data": { env: "BOTSCHAT_AGENT_DATA", key: "dataDir" },
  "--name": { env: "BOTSCHAT_AGENT_NAME", key: "name" },
  "--gateway-id": { env: "BOTSCHAT_GATEWAY_ID", key: "gatewayId" },
  "--delay-ms": { env: "BOTSCHAT_DEMO_DELAY_MS", key: "delayMs" },
  "--connect-retries": { env: "BOTSCHAT_CONNECT_RETRIES", key: "connectRetries" },
} as const;

/** `botschat-agent --help`. */
export function agentHelpText(): string {
  return `Usage: botschat-agent --demo [options]

Runs the BotsChat demo agent: a peer of your workspace that answers in the channels bound to its
agent and runs their background tasks, with scripted replies (no model is called).

Options (each also an environment variable):
  --demo                       run the built-in demo agent (required)
  --relay <url>                the relay, e.g. https://chat.example.com   BOTSCHAT_RELAY_URL (default http://127.0.0.1:8787)
  --token-file <path>          read the pairing token from a file          BOTSCHAT_PAIRING_TOKEN_FILE
                               (or set BOTSCHAT_PAIRING_TOKEN; in a terminal you are asked for it;
                               it is kept in the data dir, so later starts need none of these)
  --token <bc_pat_…>           the pairing token itself (it shows in ps and shell history)
  --passphrase-file <path>     read the workspace passphrase from a file   BOTSCHAT_PASSPHRASE_FILE
                               (or set BOTSCHAT_PASSPHRASE; in a terminal you are asked for it)
  --data <dir>                 where documents are kept                    BOTSCHAT_AGENT_DATA (default ~/.botschat-agent)
  --name <name>                the gateway's name in the workspace         BOTSCHAT_AGENT_NAME (default "Demo agent")
  --gateway-id <id>            this gateway's id (default: made once, kept in the data dir)  BOTSCHAT_GATEWAY_ID
  --delay-ms <n>               pause between streamed tokens               BOTSCHAT_DEMO_DELAY_MS (default 20)
  --connect-retries <n>        failed attempts before giving up on a relay never reached (default 5);
                               once connected, the agent reconnects for as long as it runs
  --help                       show this text

Activity lines name channels, sessions and tasks on a terminal; written to a file or a service's
log they give ids instead (BOTSCHAT_LOG_NAMES=1 or 0 decides).

Exit codes: 0 stopped, 2 wrong passphrase, 3 token refused or revoked, 4 no vault yet,
5 relay unreachable, 64 bad usage, 1 anything else.
`;
}

/**
 * Reads flags (`--flag value` or `--flag=value`), falling back to environment variables, then
 * defaults. The passphrase is never a flag: it would land in the shell's history.
 */
export function parseAgentArgs(argv: readonly string[], env: Record<string, string | undefined>): ParseAgentArgsResult {
  const given: Record<string, string> = {};
  let demo = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--demo") demo = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--passphrase" || arg.startsWith("--passphrase=")) {
      return {
        ok: false,
        message: "the passphrase is never a flag (it would stay in your shell history): use --passphrase-file, BOTSCHAT_PASSPHRASE or the prompt",
      };
    } else {
      const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
      if (!(flag in FLAGS)) return { ok: false, message: `unknown option ${arg}` };
      const value = inline ?? argv[++i];
      if (value === undefined) return { ok: false, message: `${flag} needs a value` };
      given[FLAGS[flag as keyof typeof FLAGS].key] = value;
    }
  }
  const get = (flag: keyof typeof FLAGS): string | undefined => given[FLAGS[flag].key] ?? (env[FLAGS[flag].env] || undefined);
  const int = (flag: keyof typeof FLAGS, fallback: number): number | string => {
    const v = get(flag);
    if (v === undefined) return fallback;
    return /^\d{1,7}$/.test(v) ? Number(v) : `${flag} must be a whole number`;
  };
  const delayMs = int("--delay-ms", 20);
  const connectRetries = int("--connect-retries", 5);
  if (typeof delayMs === "string") return { ok: false, message: delayMs };
  if (typeof connectRetries === "string") return { ok: false, message: connectRetries };
  const relayUrl = (get("--relay") ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+/.test(relayUrl)) return { ok: false, message: `--relay must be an http(s) URL, not ${relayUrl}` };
  return {
    ok: true,
    args: {
      demo,
      help,
      relayUrl,
      token: get("--token"),
      tokenFile: get("--token-file"),
      passphraseFile: get("--passphrase-file"),
      dataDir: get("--data") ?? join(homedir(), ".botschat-agent"),
      name: get("--name") ?? "Demo agent",
      gatewayId: get("--gateway-id"),
      delayMs,
      connectRetries,
    },
  };
}
