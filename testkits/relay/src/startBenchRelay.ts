import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { relayDir } from "./workspacePaths.js";
import { startRelay, type RelayProcess, type StartRelayOptions } from "./relayProcess.js";

/**
 * Start the relay under benchmark (through `startRelay`) from a private copy of the
 * built bundle, so that a rebuild meanwhile (the relay's test setup cleans `dist/`) cannot pull
 * the program away halfway through a run. The copy sits beside `dist/` so that the bundle's
 * dependencies resolve the same way; it is removed when this process exits.
 */
export async function startBenchRelay(opts: StartRelayOptions = {}): Promise<RelayProcess> {
  if (process.env["BOTSCHAT_RELAY_MAIN"] === undefined) {
    const dir = `${relayDir()}/bench-results/`;
    const copy = `${dir}main-${process.pid}.js`;
    mkdirSync(dir, { recursive: true });
    copyFileSync(`${relayDir()}/dist/main.js`, copy);
    process.on("exit", () => rmSync(copy, { force: true }));
    process.env["BOTSCHAT_RELAY_MAIN"] = copy;
  }
  return startRelay(opts);
}
