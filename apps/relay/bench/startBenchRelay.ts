import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RelayProcess, StartRelayOptions } from "../test/harness/relayProcess.js";

/**
 * Start the relay under benchmark (through the integration harness) from a private copy of the
 * built bundle, so that a rebuild meanwhile (the relay's test setup cleans `dist/`) cannot pull
 * the program away halfway through a run. The copy sits beside `dist/` so that the bundle's
 * dependencies resolve the same way; it is removed when this process exits.
 */
export async function startBenchRelay(opts: StartRelayOptions = {}): Promise<RelayProcess> {
  if (process.env["BOTSCHAT_RELAY_MAIN"] === undefined) {
    const dir = fileURLToPath(new URL("../bench-results/", import.meta.url));
    const copy = `${dir}main-${process.pid}.js`;
    mkdirSync(dir, { recursive: true });
    copyFileSync(fileURLToPath(new URL("../dist/main.js", import.meta.url)), copy);
    process.on("exit", () => rmSync(copy, { force: true }));
    process.env["BOTSCHAT_RELAY_MAIN"] = copy;
  }
  // Imported only now: the harness reads BOTSCHAT_RELAY_MAIN when it loads.
  const { startRelay } = await import("../test/harness/relayProcess.js");
  return startRelay(opts);
}
