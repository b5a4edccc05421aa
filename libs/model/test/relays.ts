import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { relayFixture } from "./relayFixture.js";
import type { SyncFixture } from "./syncFixture.js";

/**
 * Both relays, for `describe.each(RELAYS)("… (%s)", (_name, fixture) => { const fx = fixture(); … })`:
 * a scenario that passes on both shows MemoryRelay is faithful to the relay process on it.
 */
export const RELAYS: readonly (readonly [string, () => SyncFixture])[] = [
  ["the real relay", () => relayFixture()],
  ["MemoryRelay", () => memoryRelayFixture()],
];
