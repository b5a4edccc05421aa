import { beforeAll, describe, expect, it } from "vitest";
import { sodium, ready } from "./ready.js";
import * as sizes from "./sizes.js";

beforeAll(ready);

describe("sizes", () => {
  it("every written-out size and parameter is libsodium's own value", () => {
    const s = sodium();
    expect([sizes.KEY_BYTES, sizes.BLOB_KEY_BYTES]).toEqual([s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES, s.crypto_secretstream_xchacha20poly1305_KEYBYTES]);
    expect(sizes.KEY_BYTES).toBe(s.crypto_kdf_KEYBYTES);
    expect(sizes.NONCE_BYTES).toBe(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    expect(sizes.AEAD_TAG_BYTES).toBe(s.crypto_aead_xchacha20poly1305_ietf_ABYTES);
    expect(sizes.VAULT_SALT_BYTES).toBe(s.crypto_pwhash_SALTBYTES);
    expect(sizes.KDF_CONTEXT).toHaveLength(s.crypto_kdf_CONTEXTBYTES);
    expect(sizes.ARGON2ID13).toBe(s.crypto_pwhash_ALG_ARGON2ID13);
    expect(sizes.VAULT_OPS_INTERACTIVE).toBe(s.crypto_pwhash_OPSLIMIT_INTERACTIVE);
    expect(sizes.VAULT_MEM_INTERACTIVE).toBe(s.crypto_pwhash_MEMLIMIT_INTERACTIVE);
    expect(sizes.VAULT_OPS_MIN).toBe(s.crypto_pwhash_OPSLIMIT_MIN);
    expect(sizes.VAULT_MEM_MIN).toBe(s.crypto_pwhash_MEMLIMIT_MIN);
    expect(sizes.BLOB_HEADER_BYTES).toBe(s.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
    expect(sizes.BLOB_CHUNK_OVERHEAD_BYTES).toBe(s.crypto_secretstream_xchacha20poly1305_ABYTES);
    expect(sizes.SECRETSTREAM_TAG_MESSAGE).toBe(s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    expect(sizes.SECRETSTREAM_TAG_FINAL).toBe(s.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    expect(sizes.SHA256_BYTES).toBe(s.crypto_hash_sha256_BYTES);
    expect(sizes.STREAM_ID_BYTES).toBe(s.crypto_generichash_BYTES);
  });

  it("the vault's cost ceilings are at or above libsodium's SENSITIVE limits", () => {
    const s = sodium();
    expect(sizes.VAULT_OPS_MAX).toBeGreaterThanOrEqual(s.crypto_pwhash_OPSLIMIT_SENSITIVE);
    expect(sizes.VAULT_MEM_MAX).toBeGreaterThanOrEqual(s.crypto_pwhash_MEMLIMIT_SENSITIVE);
  });
});
