import { encodeCbor } from "@botschat/protocol";
import { copyBytes } from "./bytes.js";
import { deriveVaultKeys } from "./deriveVaultKeys.js";
import { randomOrTestNonce } from "./randomOrTestNonce.js";
import {
  VAULT_KDF,
  VAULT_MEM_DEFAULT,
  VAULT_MEM_MAX,
  VAULT_MEM_MIN,
  VAULT_OPS_DEFAULT,
  VAULT_OPS_MAX,
  VAULT_OPS_MIN,
  VAULT_SALT_BYTES,
  VAULT_VERSION,
} from "./sizes.js";
import type { CreatedVault, CreateVaultOptions } from "./Vault.js";

/**
 * Creates the workspace vault for a new passphrase ([K1]): a fresh 16-byte salt, Argon2id at
 * {@link VAULT_OPS_DEFAULT} passes and {@link VAULT_MEM_DEFAULT} bytes (about a second on a phone)
 * unless `ops`/`mem` say otherwise (tests may ask for less, down to libsodium's minimums), and
 * the `check` that lets every other peer detect a wrong
 * passphrase ([K2]). Runs Argon2 synchronously: in a browser, call it off the main thread.
 *
 * @example
 * const { vault, keys } = createVault(passphrase);
 * await api.putVault(toBase64url(vault)); // on 409, openVault() the stored one instead
 */
export function createVault(passphrase: string, options: CreateVaultOptions = {}): CreatedVault {
  const ops = options.ops ?? VAULT_OPS_DEFAULT;
  const mem = options.mem ?? VAULT_MEM_DEFAULT;
  // Never write a vault that openVault would refuse.
  if (!Number.isSafeInteger(ops) || ops < VAULT_OPS_MIN || ops > VAULT_OPS_MAX) {
    throw new RangeError(`createVault: ops must be an integer in [${VAULT_OPS_MIN}, ${VAULT_OPS_MAX}]`);
  }
  if (!Number.isSafeInteger(mem) || mem < VAULT_MEM_MIN || mem > VAULT_MEM_MAX) {
    throw new RangeError(`createVault: mem must be an integer in [${VAULT_MEM_MIN}, ${VAULT_MEM_MAX}]`);
  }
  const salt = randomOrTestNonce(VAULT_SALT_BYTES, options.dangerousTestOnlyNonce);
  const { keys, check } = deriveVaultKeys(passphrase, salt, ops, mem);
  // Field order is part of the published vectors (test-vectors/README.md).
  // A copy: cbor-x returns a view into its shared encoding buffer (a Node Buffer in Node).
  const vault = copyBytes(encodeCbor({ v: VAULT_VERSION, kdf: VAULT_KDF, ops, mem, salt, check }));
  return { vault, keys };
}
