/**
 * Every size and fixed parameter of the BotsChat envelope formats (docs/specification.md section 4).
 * They are libsodium's values, written out so that they are usable before `ready()` and visible
 * to readers; `sizes.test.ts` checks them against libsodium.
 */

/** Bytes of every symmetric key: content key, stream-id key, blob key, master key. */
export const KEY_BYTES = 32;

/** Bytes of a stream id: an unpadded BLAKE2b-256 output ([K3]). */
export const STREAM_ID_BYTES = 32;

/** Bytes of the random XChaCha20-Poly1305 nonce at the start of every entry body ([K4]). */
export const NONCE_BYTES = 24;

/** Bytes of the Poly1305 tag that `crypto_aead_xchacha20poly1305_ietf_encrypt` appends. */
export const AEAD_TAG_BYTES = 16;

/** Envelope plaintexts are `sodium_pad`-ded to a multiple of this ([K4]). */
export const PAD_BLOCK_BYTES = 256;

/** The smallest possible body: nonce, one padding block, tag. */
export const MIN_BODY_BYTES = NONCE_BYTES + PAD_BLOCK_BYTES + AEAD_TAG_BYTES;

/** Bytes of the random Argon2id salt in the vault ([K1]). */
export const VAULT_SALT_BYTES = 16;

/** Bytes of the vault's `check` value: BLAKE2b-256 of the check key ([K2]). */
export const VAULT_CHECK_BYTES = 32;

/** The vault format version this package writes and reads. */
export const VAULT_VERSION = 1;

/** The only key derivation the v1 vault knows: libsodium's `crypto_pwhash_ALG_ARGON2ID13`. */
export const VAULT_KDF = "argon2id13";

/** libsodium's `crypto_pwhash_ALG_ARGON2ID13`. */
export const ARGON2ID13 = 2;

/** libsodium's `crypto_pwhash_OPSLIMIT_INTERACTIVE`: the fewest passes a product vault uses. */
export const VAULT_OPS_INTERACTIVE = 2;

/** libsodium's `crypto_pwhash_MEMLIMIT_INTERACTIVE` (64 MiB): the least memory a product vault uses. */
export const VAULT_MEM_INTERACTIVE = 64 * 1024 * 1024;

/**
 * Argon2id passes of a new vault: with {@link VAULT_MEM_DEFAULT}, about one second on a phone
 * (docs/decisions/011-vault-cost.md). A vault keeps the cost it was made with, so raising these
 * never locks an existing workspace out.
 */
export const VAULT_OPS_DEFAULT = 2;

/** Argon2id memory of a new vault (128 MiB); see {@link VAULT_OPS_DEFAULT}. */
export const VAULT_MEM_DEFAULT = 128 * 1024 * 1024;

/** libsodium's `crypto_pwhash_OPSLIMIT_MIN`: a vault below it is malformed. */
export const VAULT_OPS_MIN = 1;

/** libsodium's `crypto_pwhash_MEMLIMIT_MIN` (8 KiB): a vault below it is malformed. */
export const VAULT_MEM_MIN = 8 * 1024;

/**
 * The most Argon2 passes a vault may ask for. The vault arrives from the relay, so its cost
 * parameters are untrusted input: without a ceiling a hostile vault could freeze a peer.
 */
export const VAULT_OPS_MAX = 16;

/** The most Argon2 memory a vault may ask for (1 GiB), for the same reason as {@link VAULT_OPS_MAX}. */
export const VAULT_MEM_MAX = 1024 * 1024 * 1024;

/** Context of `crypto_kdf_derive_from_key` for every subkey ([K2]); exactly 8 bytes. */
export const KDF_CONTEXT = "botschat";

/** Subkey ids of `crypto_kdf_derive_from_key` ([K2]). */
export const SubkeyId = { content: 1, streamId: 2, check: 3 } as const;
export type SubkeyId = (typeof SubkeyId)[keyof typeof SubkeyId];

/** Bytes of a blob key ([K7]): a fresh `crypto_secretstream_xchacha20poly1305` key per file. */
export const BLOB_KEY_BYTES = 32;

/** Bytes of the secretstream header that starts every encrypted blob. */
export const BLOB_HEADER_BYTES = 24;

/** Bytes a secretstream chunk adds to its plaintext (1 encrypted tag byte + 16-byte MAC). */
export const BLOB_CHUNK_OVERHEAD_BYTES = 17;

/** Plaintext bytes per blob chunk; only the last (FINAL) chunk may be shorter. */
export const BLOB_CHUNK_BYTES = 64 * 1024;

/** Bytes of a full ciphertext chunk. */
export const BLOB_CIPHER_CHUNK_BYTES = BLOB_CHUNK_BYTES + BLOB_CHUNK_OVERHEAD_BYTES;

/** libsodium's `crypto_secretstream_xchacha20poly1305_TAG_MESSAGE`. */
export const SECRETSTREAM_TAG_MESSAGE = 0;

/** libsodium's `crypto_secretstream_xchacha20poly1305_TAG_FINAL`. */
export const SECRETSTREAM_TAG_FINAL = 3;

/** Bytes of a SHA-256 digest (blob hashes, docs/specification.md section 2). */
export const SHA256_BYTES = 32;
