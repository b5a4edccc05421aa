import { decodeCbor, DEFAULT_LIMITS } from "@botschat/protocol";
import { copyBytes, isRecord } from "./bytes.js";
import { VAULT_CHECK_BYTES, VAULT_KDF, VAULT_MEM_MAX, VAULT_MEM_MIN, VAULT_OPS_MAX, VAULT_OPS_MIN, VAULT_SALT_BYTES, VAULT_VERSION } from "./sizes.js";
import { VaultFailure, type DecodeVaultResult } from "./Vault.js";

const malformed = { ok: false, reason: VaultFailure.malformedVault } as const;
const unsupported = { ok: false, reason: VaultFailure.unsupportedVault } as const;

/**
 * Parses vault bytes ([K1]) without running Argon2. The vault comes from the relay, so it is
 * untrusted: besides shape, the cost parameters must lie within libsodium's minimums and
 * {@link VAULT_OPS_MAX} / {@link VAULT_MEM_MAX}, or the vault is `malformed-vault`.
 * Unknown extra fields are ignored.
 */
export function decodeVault(bytes: Uint8Array): DecodeVaultResult {
  if (bytes.length > DEFAULT_LIMITS.vaultBytes) return malformed;
  let value: unknown;
  try {
    value = decodeCbor(bytes);
  } catch (_notCbor) {
    return malformed;
  }
  if (!isRecord(value)) return malformed;
  const { v, kdf, ops, mem, salt, check } = value;
  if (typeof v !== "number") return malformed;
  if (v !== VAULT_VERSION) return unsupported;
  if (typeof kdf !== "string") return malformed;
  if (kdf !== VAULT_KDF) return unsupported;
  if (!isIntegerIn(ops, VAULT_OPS_MIN, VAULT_OPS_MAX)) return malformed;
  if (!isIntegerIn(mem, VAULT_MEM_MIN, VAULT_MEM_MAX)) return malformed;
  if (!(salt instanceof Uint8Array) || salt.length !== VAULT_SALT_BYTES) return malformed;
  if (!(check instanceof Uint8Array) || check.length !== VAULT_CHECK_BYTES) return malformed;
  return {
    ok: true,
    vault: { v: VAULT_VERSION, kdf: VAULT_KDF, ops, mem, salt: copyBytes(salt), check: copyBytes(check) },
  };
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}
