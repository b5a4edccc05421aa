import { utf8 } from "./bytes.js";
import { sodium } from "./ready.js";
import { KDF_CONTEXT, KEY_BYTES, SubkeyId, VAULT_CHECK_BYTES } from "./sizes.js";
import type { VaultKeys } from "./Vault.js";

/**
 * Runs Argon2id and derives the subkeys of [K1] and [K2]:
 * `masterKey = crypto_pwhash(32, passphrase, salt, ops, mem, ARGON2ID13)`, then
 * `crypto_kdf_derive_from_key(32, id, "botschat", masterKey)` for 1 content, 2 stream id,
 * 3 check, and `check = BLAKE2b-256(check key)`.
 *
 * The passphrase is Unicode-normalised to NFC first (RFC 8265's OpaqueString rule for
 * passwords), so the same passphrase typed on two systems that compose accents differently
 * derives the same keys.
 */
export function deriveVaultKeys(passphrase: string, salt: Uint8Array, ops: number, mem: number): { keys: VaultKeys; check: Uint8Array } {
  const s = sodium();
  const secret = utf8(passphrase.normalize("NFC"));
  const masterKey = s.crypto_pwhash(KEY_BYTES, secret, salt, ops, mem, s.crypto_pwhash_ALG_ARGON2ID13);
  s.memzero(secret);
  try {
    const contentKey = s.crypto_kdf_derive_from_key(KEY_BYTES, SubkeyId.content, KDF_CONTEXT, masterKey);
    const streamIdKey = s.crypto_kdf_derive_from_key(KEY_BYTES, SubkeyId.streamId, KDF_CONTEXT, masterKey);
    const checkKey = s.crypto_kdf_derive_from_key(KEY_BYTES, SubkeyId.check, KDF_CONTEXT, masterKey);
    const check = s.crypto_generichash(VAULT_CHECK_BYTES, checkKey, null);
    s.memzero(checkKey);
    return { keys: { contentKey, streamIdKey }, check };
  } finally {
    s.memzero(masterKey);
  }
}
