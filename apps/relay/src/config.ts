import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_LIMITS, REGISTRATION_MODES, type RegistrationMode } from "@botschat/protocol";

/** Everything the relay can be told (docs/specification.md section 1, [P3], [E3]). */
export interface RelayConfig {
  host: string;
  port: number;
  dataDir: string;
  webDir: string;
  corsOrigins: string[];
  logLevel: LogLevel;
  /** Reverse proxies in front of the relay whose `X-Forwarded-For` entries are trusted (0: none). */
  trustProxy: number;
  /** Who may create an account (docs/protocol.md N22). */
  registration: RegistrationMode;
  frameLimit: number;
  helloFrameLimit: number;
  socketsPerAddress: number;
  socketsPerUser: number;
  ephBufferBytes: number;
  blobLimit: number;
  quota: number;
  appendRate: number;
  appendBurst: number;
  ephRate: number;
  ephBurst: number;
  authRate: number;
  helloTimeoutMs: number;
  badFramesPerMinute: number;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Kind = "text" | "port" | "count" | "hops" | "level" | "list" | "registration";
interface Option {
  flag: string;
  env: string;
  key: keyof RelayConfig;
  kind: Kind;
  help: string;
  default: () => RelayConfig[keyof RelayConfig];
  show?: string;
}

/** The web build beside this bundle (apps/relay/dist → apps/web/dist). */
function defaultWebDir(): string {
  return resolve(fileURLToPath(new URL(".", import.meta.url)), "../../web/dist");
}

const OPTIONS: Option[] = [
  { flag: "--host", env: "BOTSCHAT_HOST", key: "host", kind: "text", help: "address to bind (use 0.0.0.0 only when you mean it)", default: () => "127.0.0.1" },
  { flag: "--port", env: "BOTSCHAT_PORT", key: "port", kind: "port", help: "port to listen on; 0 picks a free port", default: () => 8787 },
  { flag: "--data", env: "BOTSCHAT_DATA_DIR", key: "dataDir", kind: "text", help: "directory for the SQLite database and blob files", default: () => "./data" },
  { flag: "--web", env: "BOTSCHAT_WEB_DIR", key: "webDir", kind: "text", help: "the built web app to serve", default: defaultWebDir, show: "apps/web/dist" },
  {
    flag: "--cors-origin",
    env: "BOTSCHAT_CORS_ORIGIN",
    key: "corsOrigins",
    kind: "list",
    help: "comma-separated origins allowed to call the API cross-origin",
    default: () => [],
    show: "none",
  },
  { flag: "--log-level", env: "BOTSCHAT_LOG_LEVEL", key: "logLevel", kind: "level", help: `one of ${LOG_LEVELS.join(", ")}`, default: () => "info" },
  {
    flag: "--trust-proxy",
    env: "BOTSCHAT_TRUST_PROXY",
    key: "trustProxy",
    kind: "hops",
    help: "behind N reverse proxies (alone: 1), take the client address N entries from the right of X-Forwarded-For",
    default: () => 0,
    show: "off",
  },
  {
    flag: "--registration",
    env: "BOTSCHAT_REGISTRATION",
    key: "registration",
    kind: "registration",
    help: "who may create an account: open (anyone), closed (nobody but the first account), invite (holders of an invite code)",
    default: () => "open",
  },
  {
    flag: "--frame-limit",
    env: "BOTSCHAT_FRAME_LIMIT",
    key: "frameLimit",
    kind: "count",
    help: "largest sync frame, in bytes",
    default: () => DEFAULT_LIMITS.frameBytes,
  },
  {
    flag: "--hello-frame-limit",
    env: "BOTSCHAT_HELLO_FRAME_LIMIT",
    key: "helloFrameLimit",
    kind: "count",
    help: "largest sync frame before the socket's hello is accepted, in bytes",
    default: () => DEFAULT_LIMITS.helloFrameBytes,
  },
  {
    flag: "--sockets-per-address",
    env: "BOTSCHAT_SOCKETS_PER_ADDRESS",
    key: "socketsPerAddress",
    kind: "count",
    help: "sync sockets open at once from one address (IPv6: one /64)",
    default: () => DEFAULT_LIMITS.socketsPerAddress,
  },
  {
    flag: "--sockets-per-user",
    env: "BOTSCHAT_SOCKETS_PER_USER",
    key: "socketsPerUser",
    kind: "count",
    help: "sync sockets open at once for one user",
    default: () => DEFAULT_LIMITS.socketsPerUser,
  },
  {
    flag: "--eph-buffer",
    env: "BOTSCHAT_EPH_BUFFER",
    key: "ephBufferBytes",
    kind: "count",
    help: "bytes waiting on a socket above which eph frames to it are dropped",
    default: () => DEFAULT_LIMITS.ephBufferBytes,
  },
  {
    flag: "--blob-limit",
    env: "BOTSCHAT_BLOB_LIMIT",
    key: "blobLimit",
    kind: "count",
    help: "largest blob, in bytes",
    default: () => DEFAULT_LIMITS.blobBytes,
  },
  {
    flag: "--quota",
    env: "BOTSCHAT_QUOTA",
    key: "quota",
    kind: "count",
    help: "storage per user (entries and blobs), in bytes",
    default: () => DEFAULT_LIMITS.quotaBytes,
  },
  {
    flag: "--append-rate",
    env: "BOTSCHAT_APPEND_RATE",
    key: "appendRate",
    kind: "count",
    help: "sustained appends per second per user",
    default: () => DEFAULT_LIMITS.appendsPerSecond,
  },
  {
    flag: "--append-burst",
    env: "BOTSCHAT_APPEND_BURST",
    key: "appendBurst",
    kind: "count",
    help: "appends a user may send in a burst",
    default: () => DEFAULT_LIMITS.appendBurst,
  },
  {
    flag: "--eph-rate",
    env: "BOTSCHAT_EPH_RATE",
    key: "ephRate",
    kind: "count",
    help: "sustained eph frames per second per user",
    default: () => DEFAULT_LIMITS.ephPerSecond,
  },
  {
    flag: "--eph-burst",
    env: "BOTSCHAT_EPH_BURST",
    key: "ephBurst",
    kind: "count",
    help: "eph frames a user may send in a burst",
    default: () => DEFAULT_LIMITS.ephBurst,
  },
  {
    flag: "--auth-rate",
    env: "BOTSCHAT_AUTH_RATE",
    key: "authRate",
    kind: "count",
    help: "password attempts per minute per address, and wrong passwords per account",
    default: () => DEFAULT_LIMITS.authAttemptsPerMinute,
  },
  {
    flag: "--hello-timeout",
    env: "BOTSCHAT_HELLO_TIMEOUT",
    key: "helloTimeoutMs",
    kind: "count",
    help: "ms a new socket has to send hello",
    default: () => DEFAULT_LIMITS.helloTimeoutMs,
  },
  {
    flag: "--bad-frames",
    env: "BOTSCHAT_BAD_FRAMES",
    key: "badFramesPerMinute",
    kind: "count",
    help: "bad frames per minute a socket may send before it is closed",
    default: () => DEFAULT_LIMITS.badFramesPerMinute,
  },
];

/** A reason to exit with status 2 ([P3]). */
export class ConfigError extends Error {}

function parseValue(o: Option, raw: string, source: string): RelayConfig[keyof RelayConfig] {
  const fail = (what: string) => new ConfigError(`${source}: ${what}, got "${raw}"`);
  switch (o.kind) {
    case "text":
      if (raw === "") throw fail("expected a value");
      return raw;
    case "port": {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > 65535) throw fail("expected a port from 0 to 65535");
      return n;
    }
    case "count": {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw fail("expected a positive whole number");
      return n;
    }
    case "hops":
      if (["true", "yes", ""].includes(raw)) return 1;
      if (["false", "no"].includes(raw)) return 0;
      if (/^\d{1,2}$/.test(raw)) return Number(raw);
      throw fail("expected a number of proxies (or true for one)");
    case "level":
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw fail(`expected one of ${LOG_LEVELS.join(", ")}`);
      return raw as LogLevel;
    case "list":
      return raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    case "registration":
      if (!(REGISTRATION_MODES as readonly string[]).includes(raw)) throw fail(`expected one of ${REGISTRATION_MODES.join(", ")}`);
      return raw as RegistrationMode;
  }
}

export type ParsedArgs = { help: true } | { help: false; config: RelayConfig };

/**
 * Reads flags, then the environment, then defaults. Accepts `--flag value` and `--flag=value`.
 * Throws `ConfigError` with a one-line reason on an unknown flag or a bad value.
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  const fromFlags = new Map<Option, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true };
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const o = OPTIONS.find((x) => x.flag === name);
    if (!o) throw new ConfigError(`unknown option "${name}" (see --help)`);
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (value === undefined) {
      const next = argv[i + 1];
      if (o.kind === "hops" && (next === undefined || next.startsWith("--"))) value = "true";
      else if (next === undefined) throw new ConfigError(`${name} needs a value`);
      else {
        value = next;
        i++;
      }
    }
    fromFlags.set(o, value);
  }
  const config = {} as Record<keyof RelayConfig, unknown>;
  for (const o of OPTIONS) {
    const flagValue = fromFlags.get(o);
    const envValue = env[o.env];
    if (flagValue !== undefined) config[o.key] = parseValue(o, flagValue, o.flag);
    else if (envValue !== undefined && envValue !== "") config[o.key] = parseValue(o, envValue, o.env);
    else config[o.key] = o.default();
  }
  const c = config as unknown as RelayConfig;
  c.dataDir = resolve(c.dataDir);
  c.webDir = resolve(c.webDir);
  return { help: false, config: c };
}

/** `--help` text: every flag with its environment variable and default. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const d = o.show ?? String(o.default());
    return `  ${(o.flag + (o.kind === "hops" ? " [<n>]" : " <value>")).padEnd(24)} ${o.env.padEnd(24)} default: ${d}\n      ${o.help}`;
  });
  return [
    "Usage: botschat-relay [options]",
    "",
    "The BotsChat relay: accounts, an ordered log of encrypted entries per user, blobs, and the web app.",
    "Options (a flag wins over its environment variable, which wins over the default):",
    "",
    ...rows,
    "  --help, -h               show this text",
    "",
  ].join("\n");
}

/** Whether the web build exists and can be served. */
export const hasWebBuild = (c: RelayConfig) => existsSync(resolve(c.webDir, "index.html"));
