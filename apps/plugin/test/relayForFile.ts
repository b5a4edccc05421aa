import { afterAll, beforeAll } from "vitest";
import { startRelay, type RelayProcess } from "@botschat/relay-testkit";

/** A real relay for the calling test file, plus cleanups that run (newest first) before it stops. */
export interface FileRelay {
  relay: RelayProcess;
  stops: (() => Promise<void>)[];
}

/** Registers the `beforeAll`/`afterAll` hooks that run one relay for the calling test file. */
export function relayForFile(): FileRelay {
  const fx: FileRelay = { relay: undefined as unknown as RelayProcess, stops: [] };
  beforeAll(async () => {
    fx.relay = await startRelay();
  });
  afterAll(async () => {
    for (const stop of fx.stops.reverse()) await stop().catch(() => undefined);
    await fx.relay?.stop();
  });
  return fx;
}
