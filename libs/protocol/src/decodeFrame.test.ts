import { describe, expect, it } from "vitest";
import { decodeFrame, decodeRelayFrame } from "./decodeFrame.js";
import { encodeCbor, decodeCbor } from "./cbor.js";
import { encodeFrame } from "./encodeFrame.js";
import type { RelayFrame } from "./frames.js";

const stream = new Uint8Array(32).fill(7);

describe("decodeFrame", () => {
  it("accepts a well-formed hello, append, eph and ping", () => {
    const frames = [
      { t: "hello", token: "bc_ses_x", since: 0, label: "laptop" },
      { t: "append", id: "a1", stream, kind: "update", body: new Uint8Array([1, 2, 3]) },
      { t: "append", id: "a2", stream, kind: "snapshot", body: new Uint8Array(1), covers: 5 },
      { t: "eph", stream, body: new Uint8Array(4) },
      { t: "ping" },
    ] as const;
    for (const f of frames) {
      const r = decodeFrame(encodeFrame(f));
      expect(r).toEqual({ ok: true, frame: f });
    }
  });

  it("names the field that is missing or mistyped", () => {
    const r = decodeFrame(encodeCbor({ t: "append", id: "x", stream, kind: "update", body: "not bytes" }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("bad_frame");
      expect(r.error.message).toContain('"body"');
      expect(r.error.id).toBe("x");
    }
    const h = decodeFrame(encodeCbor({ t: "hello", since: 1 }));
    expect(!h.ok && h.error.message).toContain('"token"');
  });

  it("refuses what is not CBOR, not a map, or of an unknown type as bad_frame", () => {
    for (const raw of [new Uint8Array([0xff, 0x00, 0x13]), encodeCbor([1, 2]), encodeCbor("hi"), encodeCbor({ t: "nope" }), encodeCbor({})]) {
      const r = decodeFrame(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe("bad_frame");
    }
  });

  it("[S3] refuses covers on an update as invalid", () => {
    const r = decodeFrame(encodeCbor({ t: "append", id: "c", stream, kind: "update", body: new Uint8Array(1), covers: 1 }));
    expect(r).toMatchObject({ ok: false, error: { code: "invalid", id: "c" } });
  });

  it("refuses a stream of the wrong length as invalid", () => {
    for (const len of [15, 65]) {
      const r = decodeFrame(encodeCbor({ t: "eph", stream: new Uint8Array(len), body: new Uint8Array(1) }));
      expect(r).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
  });

  it("refuses negative, fractional and float seqs", () => {
    for (const since of [-1, 1.5, "3"]) {
      const r = decodeFrame(encodeCbor({ t: "hello", token: "t", since }));
      expect(r).toMatchObject({ ok: false, error: { code: "bad_frame" } });
    }
  });

  it("refuses append ids out of 1–64 characters", () => {
    for (const id of ["", "x".repeat(65)]) {
      const r = decodeFrame(encodeCbor({ t: "append", id, stream, kind: "update", body: new Uint8Array(1) }));
      expect(r).toMatchObject({ ok: false, error: { code: "bad_frame", id } });
    }
  });
});

describe("CBOR integers", () => {
  it("encodes integers above 2^32 as CBOR major type 0 with an 8-byte argument, never a float", () => {
    const ts = 1_790_000_000_000;
    const bytes = encodeFrame({ t: "synced", head: ts });
    // the map, "t", "synced", "head", then 0x1b + 8 bytes
    const i = bytes.indexOf(0x1b);
    expect(i).toBeGreaterThan(0);
    expect(bytes.includes(0xfb)).toBe(false);
    expect(decodeCbor(bytes)).toEqual({ t: "synced", head: ts });
  });

  it("accepts both the short and the long integer forms when decoding", () => {
    // {"t":"synced","head": 5} with head written as 0x1b 00..05
    const long = new Uint8Array([
      0xa2,
      0x61,
      0x74,
      0x66,
      ...new TextEncoder().encode("synced"),
      0x64,
      ...new TextEncoder().encode("head"),
      0x1b,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      5,
    ]);
    expect(decodeRelayFrame(long)).toEqual({ ok: true, frame: { t: "synced", head: 5 } });
  });

  it("round-trips every relay frame", () => {
    const frames: RelayFrame[] = [
      { t: "welcome", userId: "u_1", head: 0, vault: null, device: "d_1" },
      { t: "welcome", userId: "u_1", head: 2 ** 40, vault: new Uint8Array([9]), device: "d_1" },
      { t: "entry", seq: 3, stream, kind: "snapshot", body: new Uint8Array(2), ts: Date.now() },
      { t: "ack", id: "a", seq: 9 },
      { t: "peers", peers: [{ device: "d", kind: "plugin", label: "gw", since: Date.now() }] },
      { t: "pong" },
      { t: "error", code: "rate_limited", message: "slow down", id: "a" },
    ];
    for (const f of frames) expect(decodeRelayFrame(encodeFrame(f))).toEqual({ ok: true, frame: f });
  });
});
