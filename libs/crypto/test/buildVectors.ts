import { encodeCbor, type EnvelopeDocId } from "@botschat/protocol";
import { toBase64url } from "../src/base64url.js";
import { createVault } from "../src/createVault.js";
import { encryptBlob } from "../src/encryptBlob.js";
import type { EphPayload, SealEntryInput } from "../src/Envelope.js";
import { sodium } from "../src/ready.js";
import { sealEntry } from "../src/sealEntry.js";
import { sealEph } from "../src/sealEph.js";
import { blobHashOf } from "../src/sha256.js";
import {
  AEAD_TAG_BYTES,
  BLOB_CHUNK_BYTES,
  BLOB_CHUNK_OVERHEAD_BYTES,
  BLOB_CIPHER_CHUNK_BYTES,
  BLOB_HEADER_BYTES,
  NONCE_BYTES,
  VAULT_MEM_INTERACTIVE,
  VAULT_OPS_INTERACTIVE,
} from "../src/sizes.js";
import { ROOT_DOCUMENT_ID, rootStreamId, streamIdFor } from "../src/streamIdFor.js";
import type { VaultKeys } from "../src/Vault.js";
import { counting, docId, toHex } from "./fixtures.js";
import type { BlobVector, EntryVector, EphVector, VaultVector, VectorsV1 } from "./VectorsV1.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The plaintext of a pattern blob: byte i is i mod 251 (a prime, so chunks differ). */
export function patternBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

/**
 * Builds every vector from fixed inputs with this implementation. The committed
 * test-vectors/v1.json is the source of truth; vectors.test.ts checks that this still
 * reproduces it byte for byte (`vitest run -u` rewrites it after a deliberate change).
 */
export function buildVectors(): VectorsV1 {
  const vaults = [
    vaultVector("minimum cost", "correct horse battery staple", counting(16, 0x10), 1, 8192),
    // Typed with decomposed accents (e + U+0301): the password bytes are those of the NFC form.
    vaultVector("non-ASCII passphrase, NFC", "cafe\u0301 \u2615 \u043a\u043b\u044e\u0447", counting(16, 0x20), 2, 65536),
    vaultVector("INTERACTIVE cost", "interactive", counting(16, 0x30), VAULT_OPS_INTERACTIVE, VAULT_MEM_INTERACTIVE),
  ];
  const first = vaults[0];
  if (first === undefined) throw new Error("no vault vector");
  const keys: VaultKeys = { contentKey: sodium().from_hex(first.contentKey), streamIdKey: sodium().from_hex(first.streamIdKey) };
  const chat = docId("chat/01J9Z3K7Q5");

  return {
    format: "botschat-crypto-test-vectors",
    version: 1,
    vaults,
    streamIds: {
      streamIdKey: first.streamIdKey,
      root: toHex(rootStreamId(keys)),
      documents: ["general", "chat/01J9Z3K7Q5", "caf\u00e9 \u2615", ROOT_DOCUMENT_ID].map((id) => ({
        documentId: id,
        input: toHex(utf8(id === ROOT_DOCUMENT_ID ? "root" : `doc:${id}`)),
        streamId: toHex(streamIdFor(keys, docId(id))),
      })),
    },
    entries: {
      contentKey: first.contentKey,
      streamIdKey: first.streamIdKey,
      cases: [
        entryVector(keys, "update", { kind: "update", doc: chat, data: counting(16) }, counting(24, 0x40)),
        entryVector(keys, "snapshot over one padding block", { kind: "snapshot", doc: chat, data: counting(300, 7) }, counting(24, 0x60)),
        entryVector(keys, "tombstone", { kind: "snapshot", doc: chat, deleted: true }, counting(24, 0x80)),
        entryVector(keys, "root document update", { kind: "update", doc: ROOT_DOCUMENT_ID, data: utf8("root change") }, counting(24, 0xa0)),
      ],
    },
    eph: {
      contentKey: first.contentKey,
      streamIdKey: first.streamIdKey,
      cases: [ephVector(keys, "streamed agent text", { doc: chat, type: "agent-text", run: "run-1", seq: 3, text: "Hel" }, counting(24, 0xc0))],
    },
    blobs: {
      chunkBytes: BLOB_CHUNK_BYTES,
      cases: [
        blobVector("short text", counting(32, 0xe0), counting(24, 0x01), utf8("Hello, BotsChat!"), true),
        blobVector("empty", counting(32, 0xe1), counting(24, 0x02), new Uint8Array(0), true),
        blobVector("exactly one chunk", counting(32, 0xe2), counting(24, 0x03), patternBytes(BLOB_CHUNK_BYTES), false),
        blobVector("two chunks and a bit", counting(32, 0xe3), counting(24, 0x04), patternBytes(2 * BLOB_CHUNK_BYTES + 100), false),
      ],
    },
  };
}

function vaultVector(name: string, passphrase: string, salt: Uint8Array, ops: number, mem: number): VaultVector {
  const s = sodium();
  const password = utf8(passphrase.normalize("NFC"));
  const { vault, keys } = createVault(passphrase, { ops, mem, dangerousTestOnlyNonce: salt });
  const masterKey = s.crypto_pwhash(32, password, salt, ops, mem, s.crypto_pwhash_ALG_ARGON2ID13);
  const checkKey = s.crypto_kdf_derive_from_key(32, 3, "botschat", masterKey);
  return {
    name,
    passphrase,
    passwordBytes: toHex(password),
    salt: toHex(salt),
    ops,
    mem,
    masterKey: toHex(masterKey),
    checkKey: toHex(checkKey),
    check: toHex(s.crypto_generichash(32, checkKey, null)),
    contentKey: toHex(keys.contentKey),
    streamIdKey: toHex(keys.streamIdKey),
    vault: toHex(vault),
    vaultBase64url: toBase64url(vault),
  };
}

type EntryInput = { kind: "update" | "snapshot"; doc: EnvelopeDocId; data: Uint8Array } | { kind: "snapshot"; doc: EnvelopeDocId; deleted: true };

function entryVector(keys: VaultKeys, name: string, input: EntryInput, nonce: Uint8Array): EntryVector {
  const stream = streamIdFor(keys, input.doc);
  const sealInput: SealEntryInput = { stream, ...input };
  const body = sealEntry(keys, sealInput, { dangerousTestOnlyNonce: nonce });
  const fields = "data" in input ? { v: 1, doc: input.doc, data: input.data } : { v: 1, doc: input.doc, deleted: true };
  return {
    name,
    doc: input.doc,
    stream: toHex(stream),
    kind: input.kind,
    ...("data" in input ? { data: toHex(input.data) } : { deleted: true as const }),
    nonce: toHex(nonce),
    plaintext: toHex(encodeCbor(fields)),
    paddedLength: body.length - NONCE_BYTES - AEAD_TAG_BYTES,
    ad: toHex(new Uint8Array([...stream, ...utf8(input.kind)])),
    body: toHex(body),
  };
}

function ephVector(keys: VaultKeys, name: string, payload: EphPayload, nonce: Uint8Array): EphVector {
  const stream = streamIdFor(keys, payload.doc);
  const body = sealEph(keys, stream, payload, { dangerousTestOnlyNonce: nonce });
  return {
    name,
    stream: toHex(stream),
    payload,
    nonce: toHex(nonce),
    plaintext: toHex(encodeCbor({ v: 1, ...payload })),
    paddedLength: body.length - NONCE_BYTES - AEAD_TAG_BYTES,
    ad: toHex(new Uint8Array([...stream, ...utf8("eph")])),
    body: toHex(body),
  };
}

function blobVector(name: string, key: Uint8Array, header: Uint8Array, plaintext: Uint8Array, small: boolean): BlobVector {
  const ciphertext = encryptBlob(key, plaintext, { dangerousTestOnlyNonce: header });
  const chunks: BlobVector["chunks"] = [];
  for (let offset = BLOB_HEADER_BYTES; offset < ciphertext.length; offset += BLOB_CIPHER_CHUNK_BYTES) {
    const chunk = ciphertext.subarray(offset, offset + BLOB_CIPHER_CHUNK_BYTES);
    const final = offset + chunk.length === ciphertext.length;
    chunks.push({ tag: final ? "final" : "message", length: chunk.length, ...(small ? { ciphertext: toHex(chunk) } : {}) });
  }
  if (chunks.reduce((n, c) => n + c.length - BLOB_CHUNK_OVERHEAD_BYTES, 0) !== plaintext.length) {
    throw new Error("blob vector chunks do not add up");
  }
  return {
    name,
    key: toHex(key),
    header: toHex(header),
    plaintext: small ? toHex(plaintext) : { length: plaintext.length, rule: "byte i = i mod 251" },
    chunks,
    ciphertextLength: ciphertext.length,
    ...(small ? { ciphertext: toHex(ciphertext) } : {}),
    sha256: blobHashOf(ciphertext),
  };
}
