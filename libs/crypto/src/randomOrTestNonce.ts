import { sodium } from "./ready.js";

/** Option accepted by every function that draws random bytes for a ciphertext or a vault. */
export interface TestOnlyNonceOption {
  /**
   * Replaces the random bytes this call would draw (the envelope nonce, the vault salt, or the
   * secretstream header) so that tests can produce fixed vectors. Throws outside tests: a
   * repeated nonce destroys the confidentiality of everything sealed with it.
   */
  dangerousTestOnlyNonce?: Uint8Array;
}

/**
 * `length` fresh random bytes, or a copy of `dangerousTestOnlyNonce` when one is given and the
 * code runs under vitest. Refusing the knob elsewhere keeps a test shortcut from ever reaching a
 * real ciphertext (the idea of Signal-Desktop's test-only crypto overrides).
 */
export function randomOrTestNonce(length: number, dangerousTestOnlyNonce?: Uint8Array): Uint8Array {
  if (dangerousTestOnlyNonce === undefined) return sodium().randombytes_buf(length);
  if (!runningUnderTests()) {
    throw new Error("dangerousTestOnlyNonce is refused outside tests");
  }
  if (dangerousTestOnlyNonce.length !== length) {
    throw new RangeError(`dangerousTestOnlyNonce must be ${length} bytes, got ${dangerousTestOnlyNonce.length}`);
  }
  return dangerousTestOnlyNonce.slice();
}

/** True under vitest, which sets `VITEST` in the environment; browsers have no `process` at all. */
function runningUnderTests(): boolean {
  // Read through globalThis: libs have no Node typings and must also run where `process` is absent.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const flag = env?.["VITEST"];
  return typeof flag === "string" && flag !== "" && flag !== "false";
}
