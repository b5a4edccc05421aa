import type { EnvelopeDocId } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { counting, docId, fastVault, flipBit } from "../test/fixtures.js";
import type { EphPayload } from "./Envelope.js";
import { openEntry } from "./openEntry.js";
import { openEph } from "./openEph.js";
import { ready } from "./ready.js";
import { sealEnvelopeUnchecked } from "./sealEnvelope.js";
import { sealEntry } from "./sealEntry.js";
import { sealEph } from "./sealEph.js";
import { AEAD_TAG_BYTES, NONCE_BYTES, PAD_BLOCK_BYTES } from "./sizes.js";
import { streamIdFor } from "./streamIdFor.js";
import type { VaultKeys } from "./Vault.js";

let keys: VaultKeys;
let doc: EnvelopeDocId;
let stream: Uint8Array;
beforeAll(async () => {
  await ready();
  keys = fastVault("eph").keys;
  doc = docId("session/7");
  stream = streamIdFor(keys, doc);
});

describe("sealEph and openEph", () => {
  it("[K6] an ephemeral payload opens to its doc, type and every other field", () => {
    const payload: EphPayload = {
      doc,
      type: "agent-text",
      run: "r1",
      seq: 3,
      at: 2 ** 40 + 1,
      text: "Hel",
      done: false,
      extra: { bytes: counting(4), list: [1, "two"] },
    };
    const body = sealEph(keys, stream, payload);
    expect(openEph(keys, stream, body)).toEqual({ ok: true, payload });
  });

  it("[K6] the envelope is the entry envelope: nonce ‖ ciphertext of a plaintext padded to 256", () => {
    const body = sealEph(keys, stream, { doc, type: "typing" });
    expect((body.length - NONCE_BYTES - AEAD_TAG_BYTES) % PAD_BLOCK_BYTES).toBe(0);
  });

  it("[K6] an eph body is not an entry body, nor the reverse (the kind is additional data)", () => {
    const eph = sealEph(keys, stream, { doc, type: "typing" });
    const entry = sealEntry(keys, { stream, kind: "update", doc, data: counting(3) });
    expect(openEntry(keys, { stream, kind: "update", body: eph })).toEqual({ ok: false, reason: "decrypt-failed" });
    expect(openEph(keys, stream, entry)).toEqual({ ok: false, reason: "decrypt-failed" });
  });

  it("[K5] [K6] a tampered, replayed or misaddressed eph body is rejected", () => {
    const body = sealEph(keys, stream, { doc, type: "typing" });
    expect(openEph(keys, stream, flipBit(body, 30))).toEqual({ ok: false, reason: "decrypt-failed" });
    const other = streamIdFor(keys, docId("session/8"));
    expect(openEph(keys, other, body)).toEqual({ ok: false, reason: "decrypt-failed" });
    const misaddressed = sealEnvelopeUnchecked(keys, other, "eph", { v: 1, doc, type: "typing" });
    expect(openEph(keys, other, misaddressed)).toEqual({ ok: false, reason: "wrong-stream" });
  });

  it("[K6] an eph plaintext without a text type is malformed", () => {
    const untyped = sealEnvelopeUnchecked(keys, stream, "eph", { v: 1, doc });
    const numeric = sealEnvelopeUnchecked(keys, stream, "eph", { v: 1, doc, type: 4 });
    expect(openEph(keys, stream, untyped)).toEqual({ ok: false, reason: "malformed" });
    expect(openEph(keys, stream, numeric)).toEqual({ ok: false, reason: "malformed" });
  });

  it("sealEph writes v: 1 whatever the payload says, and refuses a payload without a type or on another stream", () => {
    const body = sealEph(keys, stream, { doc, type: "typing", v: 9 });
    expect(openEph(keys, stream, body)).toEqual({ ok: true, payload: { doc, type: "typing" } });
    expect(() => sealEph(keys, stream, { doc, type: "" })).toThrow(/type/);
    expect(() => sealEph(keys, streamIdFor(keys, docId("x")), { doc, type: "t" })).toThrow(/stream/);
  });
});
