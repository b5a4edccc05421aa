import { initializeWasm } from "@automerge/automerge/slim";
import wasmUrl from "@automerge/automerge/automerge.wasm?url";

let ready: Promise<void> | undefined;

/**
 * Loads Automerge's wasm from its own hashed file (precached by the service worker), once.
 * Everything that touches Automerge is imported only after this resolves.
 */
export function initAutomerge(): Promise<void> {
  ready ??= initializeWasm(wasmUrl).then(() => undefined);
  return ready;
}
