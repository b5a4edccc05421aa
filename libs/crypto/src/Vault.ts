import type { TestOnlyNonceOption } from "./randomOrTestNonce.js";

/**
 * The two keys a peer holds once the passphrase is right ([K2]). The master key and the check
 * key are wiped as soon as these are derived. Keep these out of stores, storage and logs.
 */
export interface VaultKeys {
  /** Seals and opens entry and ephemeral bodies ([K4], [K6]). */
  readonly contentKey: Uint8Array;
  /** Keys the BLAKE2b that turns document ids into stream ids ([K3]). */
  readonly streamIdKey: Uint8Array;
}

/** A decoded, checked v1 vault ([K1]): `{v: 1, kdf: "argon2id13", ops, mem, salt, check}`. */
export interface VaultRecord {
  readonly v: 1;
  readonly kdf: "argon2id13";
  /** Argon2id passes (libsodium `opslimit`). */
  readonly ops: number;
  /** Argon2id memory in bytes (libsodium `memlimit`, not KiB). */
  readonly mem: number;
  /** 16 random bytes. */
  readonly salt: Uint8Array;
  /** BLAKE2b-256 of the check key: tells a wrong passphrase apart without storing a key. */
  readonly check: Uint8Array;
}

/** Why a vault did not open. Expected outcomes, to render, not exceptions. */
export const VaultFailure = {
  /** The passphrase derives a different `check`: say so and write nothing ([K2]). */
  wrongPassphrase: "wrong-passphrase",
  /** Not a vault: bad CBOR, missing or mistyped fields, or cost parameters out of bounds. */
  malformedVault: "malformed-vault",
  /** A vault from a newer format (another `v` or `kdf`) this version cannot read. */
  unsupportedVault: "unsupported-vault",
} as const;
export type VaultFailure = (typeof VaultFailure)[keyof typeof VaultFailure];

/** What {@link openVault} answers. */
export type OpenVaultResult = { ok: true; keys: VaultKeys } | { ok: false; reason: VaultFailure };

/** What {@link decodeVault} answers. */
export type DecodeVaultResult =
  { ok: true; vault: VaultRecord } | { ok: false; reason: typeof VaultFailure.malformedVault | typeof VaultFailure.unsupportedVault };

/** Options of {@link createVault}. */
export interface CreateVaultOptions extends TestOnlyNonceOption {
  /** Argon2id passes; default `VAULT_OPS_DEFAULT` (2). */
  ops?: number;
  /** Argon2id memory in bytes; default `VAULT_MEM_DEFAULT` (128 MiB). */
  mem?: number;
}

/** What {@link createVault} returns: the bytes to `PUT /api/me/vault` and the keys they unlock. */
export interface CreatedVault {
  /** CBOR `{v, kdf, ops, mem, salt, check}`; base64url it with `toBase64url` for the REST API. */
  readonly vault: Uint8Array;
  readonly keys: VaultKeys;
}
