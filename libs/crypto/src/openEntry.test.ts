import { encodeCbor, type EnvelopeDocId } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { counting, docId, fastVault, flipBit } from "../test/fixtures.js";
import { concatBytes } from "./bytes.js";
import type { SealEntryInput } from "./Envelope.js";
import { openEntry } from "./openEntry.js";
import { ready, sodium } from "./ready.js";
import { envelopeAd, sealEnvelopeUnchecked } from "./sealEnvelope.js";
import { sealEntry } from "./sealEntry.js";
import { AEAD_TAG_BYTES, NONCE_BYTES, PAD_BLOCK_BYTES } from "./sizes.js";
import { ROOT_DOCUMENT_ID, rootStreamId, streamIdFor } from "./streamIdFor.js";
import type { VaultKeys } from "./Vault.js";

let keys: VaultKeys;
let otherKeys: VaultKeys;
let doc: EnvelopeDocId;
let stream: Uint8Array;
beforeAll(async () => {
  await ready();
  keys = fastVault("entries").keys;
  otherKeys = fastVault("someone else").keys;
  doc = docId("chat/1");
  stream = streamIdFor(keys, doc);
});

const update = (data: Uint8Array = counting(40)): SealEntryInput => ({ stream, kind: "update", doc, data });

/** Seals raw plaintext bytes (no CBOR, no padding) with the right key and additional data. */
function sealRaw(plaintext: Uint8Array, kind: "update" | "snapshot" = "update"): Uint8Array {
  const s = sodium();
  const nonce = s.randombytes_buf(NONCE_BYTES);
  const ad = envelopeAd(stream, kind);
  return concatBytes(nonce, s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, keys.contentKey));
}

/** Seals arbitrary CBOR fields with correct padding, key and additional data. */
function sealFields(fields: Record<string, unknown>, kind: "update" | "snapshot" = "update"): Uint8Array {
  return sealRaw(sodium().pad(encodeCbor(fields), PAD_BLOCK_BYTES), kind);
}

describe("sealEntry and openEntry", () => {
  it("[K4] an update opens to its document and data", () => {
    const data = counting(1000, 9);
    const body = sealEntry(keys, update(data));
    expect(openEntry(keys, { stream, kind: "update", body })).toEqual({ ok: true, doc, deleted: false, data });
  });

  it("[K4] a snapshot opens to its document and data", () => {
    const data = counting(5000);
    const body = sealEntry(keys, { stream, kind: "snapshot", doc, data });
    expect(openEntry(keys, { stream, kind: "snapshot", body })).toEqual({ ok: true, doc, deleted: false, data });
  });

  it("[S4] a tombstone is a snapshot that opens as deleted, without data", () => {
    const body = sealEntry(keys, { stream, kind: "snapshot", doc, deleted: true });
    expect(openEntry(keys, { stream, kind: "snapshot", body })).toEqual({ ok: true, doc, deleted: true });
  });

  it("[K3] [K4] the root document's entries live on the root stream", () => {
    const root = rootStreamId(keys);
    const body = sealEntry(keys, { stream: root, kind: "update", doc: ROOT_DOCUMENT_ID, data: counting(3) });
    expect(openEntry(keys, { stream: root, kind: "update", body })).toMatchObject({ ok: true, doc: "root" });
  });

  it("[K4] a body is nonce ‖ ciphertext of a plaintext padded to a multiple of 256 bytes", () => {
    for (const size of [0, 1, 200, 240, 241, 250, 255, 256, 300, 511, 512, 4096]) {
      const body = sealEntry(keys, update(counting(size)));
      const plaintextLength = body.length - NONCE_BYTES - AEAD_TAG_BYTES;
      expect(plaintextLength % PAD_BLOCK_BYTES, `data of ${size} bytes`).toBe(0);
      expect(plaintextLength).toBeGreaterThan(size);
    }
    // Data lengths within one padding block give bodies of one length.
    expect(sealEntry(keys, update(counting(10))).length).toBe(sealEntry(keys, update(counting(200))).length);
  });

  it("[K4] every body gets a fresh random nonce", () => {
    const a = sealEntry(keys, update());
    const b = sealEntry(keys, update());
    expect(a.subarray(0, NONCE_BYTES)).not.toEqual(b.subarray(0, NONCE_BYTES));
    expect(a).not.toEqual(b);
  });

  it("sealEntry refuses a stream that is not the document's, and a tombstone that is not a snapshot", () => {
    const other = streamIdFor(keys, docId("chat/2"));
    expect(() => sealEntry(keys, { stream: other, kind: "update", doc, data: counting(1) })).toThrow(/stream/);
    const badTombstone = { stream, kind: "update", doc, deleted: true } as unknown as SealEntryInput;
    expect(() => sealEntry(keys, badTombstone)).toThrow(/tombstone/);
    const noData = { stream, kind: "update", doc } as unknown as SealEntryInput;
    expect(() => sealEntry(keys, noData)).toThrow(/data/);
  });
});

describe("openEntry rejects", () => {
  it("[K5] a body with any flipped bit in nonce, ciphertext or tag as decrypt-failed", () => {
    const body = sealEntry(keys, update());
    for (const index of [0, NONCE_BYTES - 1, NONCE_BYTES, NONCE_BYTES + 100, body.length - 1]) {
      const opened = openEntry(keys, { stream, kind: "update", body: flipBit(body, index) });
      expect(opened, `bit flipped in byte ${index}`).toEqual({ ok: false, reason: "decrypt-failed" });
    }
  });

  it("[K5] a cut or too short body as decrypt-failed", () => {
    const body = sealEntry(keys, update());
    for (const cut of [body.subarray(0, body.length - 1), body.subarray(0, 39), new Uint8Array(0)]) {
      expect(openEntry(keys, { stream, kind: "update", body: cut })).toEqual({ ok: false, reason: "decrypt-failed" });
    }
  });

  it("[K5] an entry replayed into another stream as decrypt-failed (the stream is additional data)", () => {
    const body = sealEntry(keys, update());
    const other = streamIdFor(keys, docId("chat/2"));
    expect(openEntry(keys, { stream: other, kind: "update", body })).toEqual({ ok: false, reason: "decrypt-failed" });
  });

  it("[K5] an update presented as a snapshot (or the reverse) as decrypt-failed (the kind is additional data)", () => {
    const u = sealEntry(keys, update());
    const s = sealEntry(keys, { stream, kind: "snapshot", doc, data: counting(5) });
    expect(openEntry(keys, { stream, kind: "snapshot", body: u })).toEqual({ ok: false, reason: "decrypt-failed" });
    expect(openEntry(keys, { stream, kind: "update", body: s })).toEqual({ ok: false, reason: "decrypt-failed" });
  });

  it("[K5] an entry sealed under another vault's key as decrypt-failed", () => {
    const foreignStream = streamIdFor(otherKeys, doc);
    const body = sealEntry(otherKeys, { stream: foreignStream, kind: "update", doc, data: counting(5) });
    expect(openEntry(keys, { stream: foreignStream, kind: "update", body })).toEqual({ ok: false, reason: "decrypt-failed" });
  });

  it("[K5] an authentic entry whose doc does not hash to its stream as wrong-stream", () => {
    const intruder = docId("chat/intruder");
    const body = sealEnvelopeUnchecked(keys, stream, "update", { v: 1, doc: intruder, data: counting(5) });
    expect(openEntry(keys, { stream, kind: "update", body })).toEqual({ ok: false, reason: "wrong-stream" });
  });

  it("[K3] [K5] the root document on the 'doc:root' stream, or another document on the root stream, as wrong-stream", () => {
    const docRootStream = sodium().crypto_generichash(32, new TextEncoder().encode("doc:root"), keys.streamIdKey);
    const onDocRoot = sealEnvelopeUnchecked(keys, docRootStream, "update", { v: 1, doc: "root", data: counting(1) });
    expect(openEntry(keys, { stream: docRootStream, kind: "update", body: onDocRoot })).toEqual({
      ok: false,
      reason: "wrong-stream",
    });
    const root = rootStreamId(keys);
    const onRoot = sealEnvelopeUnchecked(keys, root, "update", { v: 1, doc, data: counting(1) });
    expect(openEntry(keys, { stream: root, kind: "update", body: onRoot })).toEqual({ ok: false, reason: "wrong-stream" });
  });

  it("an authentic plaintext with invalid padding as bad-padding", () => {
    const unpadded = concatBytes(encodeCbor({ v: 1, doc, data: counting(3) }), new Uint8Array([0x01]));
    expect(openEntry(keys, { stream, kind: "update", body: sealRaw(unpadded) })).toEqual({
      ok: false,
      reason: "bad-padding",
    });
  });

  const malformed: [string, () => Uint8Array, ("update" | "snapshot")?][] = [
    ["padded bytes that are not CBOR", () => sealRaw(sodium().pad(new Uint8Array([0xff, 0xfe]), PAD_BLOCK_BYTES))],
    ["a CBOR array", () => sealRaw(sodium().pad(encodeCbor([1, "chat/1"]), PAD_BLOCK_BYTES))],
    ["version 2", () => sealFields({ v: 2, doc, data: counting(1) })],
    ["no version", () => sealFields({ doc, data: counting(1) })],
    ["no doc", () => sealFields({ v: 1, data: counting(1) })],
    ["a numeric doc", () => sealFields({ v: 1, doc: 7, data: counting(1) })],
    ["an empty doc", () => sealFields({ v: 1, doc: "", data: counting(1) })],
    ["text data", () => sealFields({ v: 1, doc, data: "abc" })],
    ["neither data nor deleted", () => sealFields({ v: 1, doc })],
    ["deleted with data", () => sealFields({ v: 1, doc, data: counting(1), deleted: true }, "snapshot"), "snapshot"],
    ["deleted on an update", () => sealFields({ v: 1, doc, deleted: true })],
    ["a non-boolean deleted", () => sealFields({ v: 1, doc, data: counting(1), deleted: "yes" })],
  ];
  for (const [what, seal, kind = "update"] of malformed) {
    it(`an authentic plaintext with ${what} as malformed`, () => {
      expect(openEntry(keys, { stream, kind, body: seal() })).toEqual({ ok: false, reason: "malformed" });
    });
  }

  it("nothing, however garbled, makes openEntry throw", () => {
    const body = sealEntry(keys, update());
    for (let i = 0; i < 200; i++) {
      const garbled = sodium().randombytes_buf(i * 3);
      expect(openEntry(keys, { stream, kind: "update", body: garbled }).ok).toBe(false);
    }
    expect(openEntry(keys, { stream: new Uint8Array(0), kind: "update", body }).ok).toBe(false);
  });
});
