import { afterAll, beforeAll } from "vitest";
import { MemoryRelay } from "@botschat/model/testkit";
import { startRelay, type RelayProcess } from "@botschat/relay-testkit";
import { memoryTestRelay, processRelay, type TestRelay } from "./workspace.js";

/** A real relay for the calling test file, plus cleanups that run (newest first) before it stops. */
export interface FileRelay {
  relay: RelayProcess;
  /** The relay process as a {@link TestRelay} (for `startDevice`), once it runs. */
  on: TestRelay;
  stops: (() => Promise<void>)[];
}

/** Registers the `beforeAll`/`afterAll` hooks that run one relay process for the calling test file. */
export function relayForFile(): FileRelay {
  const fx: FileRelay = { relay: undefined as unknown as RelayProcess, on: undefined as unknown as TestRelay, stops: [] };
  beforeAll(async () => {
    fx.relay = await startRelay();
    fx.on = processRelay(fx.relay.url);
  });
  afterAll(async () => {
    for (const stop of fx.stops.reverse()) await stop().catch(() => undefined);
    await fx.relay?.stop();
  });
  return fx;
}

/** MemoryRelay for the calling test file (each test on accounts of its own), plus cleanups that run (newest first) after it. */
export interface FileMemoryRelay {
  memory: MemoryRelay;
  /** The MemoryRelay as a {@link TestRelay}: each device and agent on a line of its own. */
  on: TestRelay;
  stops: (() => Promise<void>)[];
}

/**
 * One MemoryRelay for the calling test file, for suites that need a relay only as a transport:
 * the relay process stays the reference, and libs/model's suites check MemoryRelay against it.
 */
export function memoryRelayForFile(): FileMemoryRelay {
  const memory = new MemoryRelay();
  const fx: FileMemoryRelay = { memory, on: memoryTestRelay(memory), stops: [] };
  afterAll(async () => {
    for (const stop of fx.stops.reverse()) await stop().catch(() => undefined);
    memory.stop();
  });
  return fx;
}
