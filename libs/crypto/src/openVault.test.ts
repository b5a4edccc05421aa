import { decodeCbor, encodeCbor } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { counting, FAST_KDF, fastVault } from "../test/fixtures.js";
import { fromBase64url, toBase64url } from "./base64url.js";
import { createVault } from "./createVault.js";
import { decodeVault } from "./decodeVault.js";
import { openVault } from "./openVault.js";
import { ready, sodium } from "./ready.js";
import {
  VAULT_MEM_DEFAULT,
  VAULT_MEM_INTERACTIVE,
  VAULT_MEM_MAX,
  VAULT_MEM_MIN,
  VAULT_OPS_DEFAULT,
  VAULT_OPS_INTERACTIVE,
  VAULT_OPS_MAX,
  VAULT_OPS_MIN,
} from "./sizes.js";

beforeAll(ready);

/** A valid fast vault's fields, to alter one at a time. */
function vaultFields(): Record<string, unknown> {
  return decodeCbor(fastVault().vault) as Record<string, unknown>;
}

describe("createVault and openVault", () => {
  it("[K1] the vault is CBOR {v: 1, kdf: argon2id13, ops, mem, salt, check} with 16 random salt bytes", () => {
    const { vault } = fastVault();
    const fields = decodeCbor(vault) as Record<string, unknown>;
    expect(Object.keys(fields)).toEqual(["v", "kdf", "ops", "mem", "salt", "check"]);
    expect(fields).toMatchObject({ v: 1, kdf: "argon2id13", ops: FAST_KDF.ops, mem: FAST_KDF.mem });
    expect(fields["salt"]).toHaveLength(16);
    expect(fields["check"]).toHaveLength(32);
  });

  it("[K1] the right passphrase opens the vault to the keys its creator got", () => {
    const created = fastVault("a long passphrase");
    const opened = openVault(created.vault, "a long passphrase");
    expect(opened).toEqual({ ok: true, keys: created.keys });
    if (!opened.ok) return;
    expect(opened.keys.contentKey).toHaveLength(32);
    expect(opened.keys.streamIdKey).toHaveLength(32);
    expect(opened.keys.contentKey).not.toEqual(opened.keys.streamIdKey);
  });

  it("[K2] a wrong passphrase is reported as wrong-passphrase, not thrown", () => {
    const { vault } = fastVault("right");
    expect(openVault(vault, "wrong")).toEqual({ ok: false, reason: "wrong-passphrase" });
    expect(openVault(vault, "Right")).toEqual({ ok: false, reason: "wrong-passphrase" });
    expect(openVault(vault, "")).toEqual({ ok: false, reason: "wrong-passphrase" });
  });

  it("[K1] [K2] keys are Argon2id then crypto_kdf subkeys 1 and 2 of context botschat; check is BLAKE2b-256 of subkey 3", () => {
    const s = sodium();
    const { vault, keys } = createVault("pass", FAST_KDF);
    const { salt, check } = decodeCbor(vault) as { salt: Uint8Array; check: Uint8Array };
    const master = s.crypto_pwhash(32, "pass", salt, FAST_KDF.ops, FAST_KDF.mem, s.crypto_pwhash_ALG_ARGON2ID13);
    expect(keys.contentKey).toEqual(s.crypto_kdf_derive_from_key(32, 1, "botschat", master));
    expect(keys.streamIdKey).toEqual(s.crypto_kdf_derive_from_key(32, 2, "botschat", master));
    const checkKey = s.crypto_kdf_derive_from_key(32, 3, "botschat", master);
    expect(new Uint8Array(check)).toEqual(s.crypto_generichash(32, checkKey, null));
  });

  it("[K1] by default the vault uses Argon2id at 2 passes and 128 MiB, above libsodium's INTERACTIVE limits", () => {
    const { vault, keys } = createVault("default cost");
    const fields = decodeCbor(vault) as { ops: number; mem: number };
    expect(fields).toMatchObject({ ops: VAULT_OPS_DEFAULT, mem: VAULT_MEM_DEFAULT });
    expect(fields.ops).toBeGreaterThanOrEqual(VAULT_OPS_INTERACTIVE);
    expect(fields.mem).toBeGreaterThan(VAULT_MEM_INTERACTIVE);
    expect(openVault(vault, "default cost")).toEqual({ ok: true, keys });
  });

  it("a vault made at the earlier default cost (INTERACTIVE: 2 passes, 64 MiB) still opens: a vault keeps its own cost", () => {
    const { vault, keys } = createVault("older vault", { ops: VAULT_OPS_INTERACTIVE, mem: VAULT_MEM_INTERACTIVE });
    expect(decodeCbor(vault)).toMatchObject({ ops: 2, mem: 64 * 1024 * 1024 });
    expect(openVault(vault, "older vault")).toEqual({ ok: true, keys });
    expect(openVault(vault, "not it")).toEqual({ ok: false, reason: "wrong-passphrase" });
  });

  it("two vaults for the same passphrase get different salts, hence different keys", () => {
    const a = fastVault("same");
    const b = fastVault("same");
    expect(a.vault).not.toEqual(b.vault);
    expect(a.keys.contentKey).not.toEqual(b.keys.contentKey);
  });

  it("a passphrase opens its vault however its accents are composed (NFC)", () => {
    const composed = "caf\u00e9 cr\u00e8me";
    const decomposed = "cafe\u0301 cre\u0300me";
    const { vault, keys } = createVault(decomposed, FAST_KDF);
    expect(openVault(vault, composed)).toEqual({ ok: true, keys });
  });

  it("createVault refuses cost parameters that openVault would refuse", () => {
    expect(() => createVault("p", { ops: VAULT_OPS_MIN - 1, mem: VAULT_MEM_MIN })).toThrow(RangeError);
    expect(() => createVault("p", { ops: VAULT_OPS_MIN, mem: VAULT_MEM_MIN - 1 })).toThrow(RangeError);
    expect(() => createVault("p", { ops: VAULT_OPS_MAX + 1, mem: VAULT_MEM_MIN })).toThrow(RangeError);
    expect(() => createVault("p", { ops: VAULT_OPS_MIN, mem: VAULT_MEM_MAX + 1 })).toThrow(RangeError);
    expect(() => createVault("p", { ops: 1.5, mem: VAULT_MEM_MIN })).toThrow(RangeError);
  });

  it("the vault survives the REST API's base64url form unchanged", () => {
    const { vault, keys } = fastVault("over the wire");
    const text = toBase64url(vault);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = fromBase64url(text);
    expect(back).toEqual(vault);
    expect(openVault(back ?? new Uint8Array(), "over the wire")).toEqual({ ok: true, keys });
  });
});

describe("a vault that cannot be opened", () => {
  const malformedCases: [string, (fields: Record<string, unknown>) => unknown][] = [
    ["is a CBOR array", () => [1, "argon2id13"]],
    ["is a CBOR string", () => "vault"],
    ["lacks its salt", ({ salt: _salt, ...rest }) => rest],
    ["has a 15-byte salt", (f) => ({ ...f, salt: new Uint8Array(15) })],
    ["has a text salt", (f) => ({ ...f, salt: "0123456789abcdef" })],
    ["has a 31-byte check", (f) => ({ ...f, check: new Uint8Array(31) })],
    ["has ops below libsodium's minimum", (f) => ({ ...f, ops: VAULT_OPS_MIN - 1 })],
    ["has mem below libsodium's minimum", (f) => ({ ...f, mem: VAULT_MEM_MIN - 1 })],
    ["asks for more than 1 GiB of memory", (f) => ({ ...f, mem: VAULT_MEM_MAX + 1024 })],
    ["asks for absurdly many passes", (f) => ({ ...f, ops: 2 ** 32 })],
    ["has fractional ops", (f) => ({ ...f, ops: 1.5 })],
    ["has a text version", (f) => ({ ...f, v: "1" })],
    ["lacks its kdf", ({ kdf: _kdf, ...rest }) => rest],
  ];
  for (const [what, alter] of malformedCases) {
    it(`is malformed-vault when it ${what}`, () => {
      const bytes = encodeCbor(alter(vaultFields()));
      expect(openVault(bytes, "correct horse battery staple")).toEqual({ ok: false, reason: "malformed-vault" });
    });
  }

  it("is malformed-vault when it is not CBOR, empty, or has bytes after the map", () => {
    const good = fastVault().vault;
    for (const bytes of [new Uint8Array([0xff, 0x00]), new Uint8Array(0), Uint8Array.of(...good, 0)]) {
      expect(openVault(bytes, "x")).toEqual({ ok: false, reason: "malformed-vault" });
    }
  });

  it("is malformed-vault when it is larger than the relay's 1 KiB vault limit", () => {
    const bytes = encodeCbor({ ...vaultFields(), padding: counting(1100) });
    expect(openVault(bytes, "correct horse battery staple")).toEqual({ ok: false, reason: "malformed-vault" });
  });

  it("is unsupported-vault when it has another version or another kdf", () => {
    const v2 = encodeCbor({ ...vaultFields(), v: 2 });
    const scrypt = encodeCbor({ ...vaultFields(), kdf: "scrypt" });
    expect(openVault(v2, "correct horse battery staple")).toEqual({ ok: false, reason: "unsupported-vault" });
    expect(openVault(scrypt, "correct horse battery staple")).toEqual({ ok: false, reason: "unsupported-vault" });
  });

  it("opens despite unknown extra fields (a later minor addition)", () => {
    const created = fastVault();
    const extended = encodeCbor({ ...vaultFields(), hint: "blue" });
    const withSameSalt = decodeCbor(created.vault) as Record<string, unknown>;
    const bytes = encodeCbor({ ...withSameSalt, hint: "blue" });
    expect(openVault(bytes, "correct horse battery staple")).toEqual({ ok: true, keys: created.keys });
    expect(decodeVault(extended).ok).toBe(true);
  });
});
