import { decodeVault } from "./decodeVault.js";
import { deriveVaultKeys } from "./deriveVaultKeys.js";
import { sodium } from "./ready.js";
import { VaultFailure, type OpenVaultResult } from "./Vault.js";

/**
 * Unlocks a vault with a passphrase ([K1], [K2]). Every expected failure is a value:
 * `wrong-passphrase` (the derived `check` differs, compared in constant time),
 * `malformed-vault` or `unsupported-vault`. Runs Argon2 synchronously, with the vault's own
 * cost parameters (bounded by {@link decodeVault}). It throws only when Argon2 itself cannot run,
 * e.g. a runtime that cannot allocate the vault's memory cost.
 *
 * @example
 * const opened = openVault(welcome.vault, passphrase);
 * if (!opened.ok) return showLocked(opened.reason); // e.g. "wrong-passphrase"
 */
export function openVault(vaultBytes: Uint8Array, passphrase: string): OpenVaultResult {
  const decoded = decodeVault(vaultBytes);
  if (!decoded.ok) return decoded;
  const { salt, ops, mem, check } = decoded.vault;
  const derived = deriveVaultKeys(passphrase, salt, ops, mem);
  if (!sodium().memcmp(derived.check, check)) {
    sodium().memzero(derived.keys.contentKey);
    sodium().memzero(derived.keys.streamIdKey);
    return { ok: false, reason: VaultFailure.wrongPassphrase };
  }
  return { ok: true, keys: derived.keys };
}
