import { ConfigError, helpText, parseArgs } from "./config.js";
import { makeLogger } from "./log.js";
import { startRelay } from "./server.js";

declare const __RELAY_VERSION__: string | undefined;
const VERSION = typeof __RELAY_VERSION__ === "string" ? __RELAY_VERSION__ : "0.1.0";

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`botschat-relay: ${e.message}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(helpText());
    return;
  }
  const config = parsed.config;
  const log = makeLogger(config.logLevel);
  const relay = await startRelay(config, log, VERSION);
  const line = `listening on ${relay.url}`;
  // [P1]: the line is printed whatever the log level, so tools can always read the port.
  if (config.logLevel === "debug" || config.logLevel === "info") log.info(line, { dataDir: config.dataDir, version: VERSION });
  else process.stdout.write(line + "\n");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    relay.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error("shutdown failed", { error: String(e) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  process.stderr.write(`botschat-relay: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
