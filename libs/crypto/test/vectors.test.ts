import { decodeCbor, type EnvelopeDocId } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import committed from "../test-vectors/v1.json";
import { fromBase64url } from "../src/base64url.js";
import { createVault } from "../src/createVault.js";
import { decryptBlob } from "../src/decryptBlob.js";
import { encryptBlob } from "../src/encryptBlob.js";
import type { EphPayload, SealEntryInput } from "../src/Envelope.js";
import { openEntry } from "../src/openEntry.js";
import { openEph } from "../src/openEph.js";
import { openVault } from "../src/openVault.js";
import { ready, sodium } from "../src/ready.js";
import { sealEntry } from "../src/sealEntry.js";
import { sealEph } from "../src/sealEph.js";
import { blobHashOf } from "../src/sha256.js";
import { BLOB_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD_BYTES, BLOB_HEADER_BYTES, NONCE_BYTES, PAD_BLOCK_BYTES } from "../src/sizes.js";
import { rootStreamId, streamIdFor } from "../src/streamIdFor.js";
import type { VaultKeys } from "../src/Vault.js";
import { patternBytes } from "./buildVectors.js";
import { docId, firstDifference, toHex } from "./fixtures.js";
import type { VectorsV1 } from "./VectorsV1.js";

// Read from the committed file, not rebuilt: these tests check the implementation against it.
const vectors = committed as unknown as VectorsV1;
const hex = (text: string) => sodium().from_hex(text);
const utf8 = (text: string) => new TextEncoder().encode(text);

beforeAll(ready);

function keysOf(section: { contentKey: string; streamIdKey: string }): VaultKeys {
  return { contentKey: hex(section.contentKey), streamIdKey: hex(section.streamIdKey) };
}

describe("published test vectors v1", () => {
  it("cover every section", () => {
    expect(vectors.format).toBe("botschat-crypto-test-vectors");
    expect(vectors.version).toBe(1);
    expect(vectors.vaults.length).toBeGreaterThanOrEqual(2);
    expect(vectors.streamIds.documents.length).toBeGreaterThanOrEqual(3);
    expect(vectors.entries.cases.map((c) => c.deleted === true)).toContain(true);
    expect(vectors.eph.cases.length).toBeGreaterThanOrEqual(1);
    expect(vectors.blobs.cases.some((c) => c.ciphertext !== undefined)).toBe(true);
  });

  it("the non-ASCII passphrase is stored decomposed, so the vector really tests NFC", () => {
    const nonAscii = vectors.vaults.find((v) => /[^\x20-\x7e]/.test(v.passphrase));
    expect(nonAscii).toBeDefined();
    expect(nonAscii?.passphrase.normalize("NFC")).not.toBe(nonAscii?.passphrase);
  });

  for (const v of vectors.vaults) {
    it(`[K1] [K2] vault "${v.name}": Argon2id, subkeys and check reproduce, and the vault bytes too`, () => {
      const s = sodium();
      expect(toHex(utf8(v.passphrase.normalize("NFC")))).toBe(v.passwordBytes);
      const masterKey = s.crypto_pwhash(32, hex(v.passwordBytes), hex(v.salt), v.ops, v.mem, s.crypto_pwhash_ALG_ARGON2ID13);
      expect(toHex(masterKey)).toBe(v.masterKey);
      expect(toHex(s.crypto_kdf_derive_from_key(32, 1, "botschat", masterKey))).toBe(v.contentKey);
      expect(toHex(s.crypto_kdf_derive_from_key(32, 2, "botschat", masterKey))).toBe(v.streamIdKey);
      expect(toHex(s.crypto_kdf_derive_from_key(32, 3, "botschat", masterKey))).toBe(v.checkKey);
      expect(toHex(s.crypto_generichash(32, hex(v.checkKey), null))).toBe(v.check);

      const created = createVault(v.passphrase, { ops: v.ops, mem: v.mem, dangerousTestOnlyNonce: hex(v.salt) });
      expect(toHex(created.vault)).toBe(v.vault);
      expect(decodeCbor(hex(v.vault))).toEqual({ v: 1, kdf: "argon2id13", ops: v.ops, mem: v.mem, salt: hex(v.salt), check: hex(v.check) });
    });

    it(`[K1] [K2] vault "${v.name}": opens from its base64url form to its keys, and refuses another passphrase`, () => {
      const bytes = fromBase64url(v.vaultBase64url);
      expect(bytes && toHex(bytes)).toBe(v.vault);
      const keys = { contentKey: hex(v.contentKey), streamIdKey: hex(v.streamIdKey) };
      expect(openVault(hex(v.vault), v.passphrase)).toEqual({ ok: true, keys });
      expect(openVault(hex(v.vault), `${v.passphrase}!`)).toEqual({ ok: false, reason: "wrong-passphrase" });
    });
  }

  it("[K3] stream ids: every document and the root reproduce", () => {
    const { streamIdKey, root, documents } = vectors.streamIds;
    const keys: VaultKeys = { contentKey: new Uint8Array(32), streamIdKey: hex(streamIdKey) };
    expect(toHex(rootStreamId(keys))).toBe(root);
    for (const d of documents) {
      expect(toHex(streamIdFor(keys, docId(d.documentId))), d.documentId).toBe(d.streamId);
      expect(toHex(sodium().crypto_generichash(32, hex(d.input), hex(streamIdKey))), d.documentId).toBe(d.streamId);
    }
  });

  for (const e of vectors.entries.cases) {
    it(`[K4] entry "${e.name}": sealing with its nonce reproduces the body, which opens to its inputs`, () => {
      const keys = keysOf(vectors.entries);
      const stream = hex(e.stream);
      const doc = e.doc as EnvelopeDocId;
      expect(toHex(streamIdFor(keys, doc))).toBe(e.stream);
      const input = (e.deleted ? { stream, kind: e.kind, doc, deleted: true } : { stream, kind: e.kind, doc, data: hex(e.data ?? "") }) as SealEntryInput;
      expect(toHex(sealEntry(keys, input, { dangerousTestOnlyNonce: hex(e.nonce) }))).toBe(e.body);

      const opened = openEntry(keys, { stream, kind: e.kind, body: hex(e.body) });
      expect(opened).toEqual(e.deleted ? { ok: true, doc, deleted: true } : { ok: true, doc, deleted: false, data: hex(e.data ?? "") });

      // The layers, for other implementations to debug against.
      const s = sodium();
      expect(e.ad).toBe(e.stream + toHex(utf8(e.kind)));
      const body = hex(e.body);
      const padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.subarray(NONCE_BYTES), hex(e.ad), body.subarray(0, NONCE_BYTES), keys.contentKey);
      expect(padded.length).toBe(e.paddedLength);
      expect(e.paddedLength % PAD_BLOCK_BYTES).toBe(0);
      expect(toHex(s.unpad(padded, PAD_BLOCK_BYTES))).toBe(e.plaintext);
    });
  }

  for (const e of vectors.eph.cases) {
    it(`[K6] eph "${e.name}": sealing with its nonce reproduces the body, which opens to its payload`, () => {
      const keys = keysOf(vectors.eph);
      const stream = hex(e.stream);
      const payload = e.payload as EphPayload;
      expect(toHex(sealEph(keys, stream, payload, { dangerousTestOnlyNonce: hex(e.nonce) }))).toBe(e.body);
      expect(openEph(keys, stream, hex(e.body))).toEqual({ ok: true, payload });
      const s = sodium();
      expect(e.ad).toBe(e.stream + toHex(utf8("eph")));
      const body = hex(e.body);
      const padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.subarray(NONCE_BYTES), hex(e.ad), body.subarray(0, NONCE_BYTES), keys.contentKey);
      expect(padded.length).toBe(e.paddedLength);
      expect(toHex(s.unpad(padded, PAD_BLOCK_BYTES))).toBe(e.plaintext);
    });
  }

  for (const b of vectors.blobs.cases) {
    it(`[K7] blob "${b.name}": encrypting with its key and header reproduces it, and it decrypts`, () => {
      expect(vectors.blobs.chunkBytes).toBe(BLOB_CHUNK_BYTES);
      const key = hex(b.key);
      const plaintext = typeof b.plaintext === "string" ? hex(b.plaintext) : patternBytes(b.plaintext.length);
      const ciphertext = encryptBlob(key, plaintext, { dangerousTestOnlyNonce: hex(b.header) });
      expect(ciphertext.length).toBe(b.ciphertextLength);
      expect(blobHashOf(ciphertext)).toBe(b.sha256);
      expect(toHex(ciphertext.subarray(0, BLOB_HEADER_BYTES))).toBe(b.header);
      expect(b.chunks.reduce((n, c) => n + c.length, BLOB_HEADER_BYTES)).toBe(b.ciphertextLength);
      expect(b.chunks.map((c) => c.tag)).toEqual([...b.chunks.slice(1).map(() => "message"), "final"]);
      expect(b.chunks.reduce((n, c) => n + c.length - BLOB_CHUNK_OVERHEAD_BYTES, 0)).toBe(plaintext.length);
      const committedCiphertext = b.ciphertext === undefined ? ciphertext : hex(b.ciphertext);
      if (b.ciphertext !== undefined) {
        expect(toHex(ciphertext)).toBe(b.ciphertext);
        expect(b.header + b.chunks.map((c) => c.ciphertext).join("")).toBe(b.ciphertext);
      }
      const opened = decryptBlob(key, committedCiphertext);
      expect(opened.ok).toBe(true);
      if (opened.ok) expect(firstDifference(opened.plaintext, plaintext)).toBe(-1);
    });
  }
});
