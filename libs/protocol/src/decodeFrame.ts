import { decodeCbor } from "./cbor.js";
import { type CborShapeLimits, cborShapeProblem } from "./cborShapeProblem.js";
import { ErrorCode, FRAME_ERROR_CODES, type FrameErrorCode } from "./codes.js";
import { EntryKind, PeerKind, type ClientFrame, type PeerInfo, type RelayFrame } from "./frames.js";
import { CBOR_SHAPE, FIELD_LIMITS } from "./limits.js";

/** Why a frame was refused, ready to be sent back as an `error` frame. */
export interface FrameError {
  code: typeof ErrorCode.badFrame | typeof ErrorCode.invalid;
  message: string;
  /** The append id, when the frame had a usable one ([E2]). */
  id?: string;
}
export type DecodeResult<F> = { ok: true; frame: F } | { ok: false; error: FrameError };

/** Longest append id echoed back in an error, so a refused append can be matched by its peer. */
const ECHO_ID_MAX = 256;

class Refusal extends Error {
  constructor(
    readonly code: FrameError["code"],
    message: string,
  ) {
    super(message);
  }
}

type Fields = Record<string, unknown>;

const bad = (message: string) => new Refusal(ErrorCode.badFrame, message);

function text(o: Fields, name: string, opt: { min?: number; max?: number } = {}): string {
  const v = o[name];
  if (typeof v !== "string") throw bad(`field "${name}" must be text`);
  if (opt.min !== undefined && v.length < opt.min) throw bad(`field "${name}" must be at least ${opt.min} characters`);
  if (opt.max !== undefined && v.length > opt.max) throw bad(`field "${name}" must be at most ${opt.max} characters`);
  return v;
}
function uint(o: Fields, name: string): number {
  const v = o[name];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw bad(`field "${name}" must be an unsigned integer`);
  }
  return v;
}
function bytes(o: Fields, name: string): Uint8Array {
  const v = o[name];
  if (!(v instanceof Uint8Array)) throw bad(`field "${name}" must be a byte string`);
  // Node's decoder hands out Buffers; peers and tests see plain Uint8Array views (no copy).
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
function stream(o: Fields): Uint8Array {
  const v = bytes(o, "stream");
  if (v.length < FIELD_LIMITS.streamMin || v.length > FIELD_LIMITS.streamMax) {
    throw new Refusal(ErrorCode.invalid, `field "stream" must be ${FIELD_LIMITS.streamMin}–${FIELD_LIMITS.streamMax} bytes, got ${v.length}`);
  }
  return v;
}
function oneOf<T extends string>(o: Fields, name: string, values: readonly T[]): T {
  const v = o[name];
  if (typeof v !== "string" || !values.includes(v as T)) {
    throw bad(`field "${name}" must be one of ${values.map((x) => `"${x}"`).join(", ")}`);
  }
  return v as T;
}
const has = (o: Fields, name: string) => o[name] !== undefined;

function readMap(raw: Uint8Array, shape: CborShapeLimits): Fields {
  // Checked before decoding: the decoder's time and memory grow with what the frame announces.
  const problem = cborShapeProblem(raw, shape);
  if (problem !== undefined) throw bad(`frame is not valid CBOR: ${problem}`);
  let value: unknown;
  try {
    value = decodeCbor(raw);
  } catch {
    throw bad("frame is not valid CBOR");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Uint8Array) {
    throw bad("frame must be a CBOR map");
  }
  return value as Fields;
}

function decodeClient(o: Fields): ClientFrame {
  const t = text(o, "t");
  switch (t) {
    case "hello": {
      const frame: ClientFrame = { t, token: text(o, "token", { max: 512 }), since: uint(o, "since") };
      if (has(o, "label")) frame.label = text(o, "label", { max: FIELD_LIMITS.labelMax });
      return frame;
    }
    case "append": {
      const id = text(o, "id", { min: FIELD_LIMITS.appendIdMin, max: FIELD_LIMITS.appendIdMax });
      const kind = oneOf(o, "kind", Object.values(EntryKind));
      const body = bytes(o, "body");
      const s = stream(o);
      const frame: ClientFrame = { t, id, stream: s, kind, body };
      if (has(o, "covers")) {
        const covers = uint(o, "covers");
        if (kind !== EntryKind.snapshot) throw new Refusal(ErrorCode.invalid, `"covers" is only allowed on snapshots`);
        frame.covers = covers;
      }
      return frame;
    }
    case "eph":
      return { t, body: bytes(o, "body"), stream: stream(o) };
    case "ping":
      return { t };
    default:
      throw bad(`unknown frame type "${t.slice(0, 32)}"`);
  }
}

function peerList(o: Fields): PeerInfo[] {
  const v = o["peers"];
  if (!Array.isArray(v)) throw bad(`field "peers" must be an array`);
  return v.map((p: unknown, i) => {
    if (p === null || typeof p !== "object") throw bad(`field "peers[${i}]" must be a map`);
    const q = p as Fields;
    return {
      device: text(q, "device"),
      kind: oneOf(q, "kind", Object.values(PeerKind)),
      label: text(q, "label"),
      since: uint(q, "since"),
    };
  });
}

function decodeRelay(o: Fields): RelayFrame {
  const t = text(o, "t");
  switch (t) {
    case "welcome": {
      const vault = o["vault"] === null || o["vault"] === undefined ? null : bytes(o, "vault");
      return { t, userId: text(o, "userId"), head: uint(o, "head"), vault, device: text(o, "device") };
    }
    case "entry":
      return {
        t,
        seq: uint(o, "seq"),
        stream: bytes(o, "stream"),
        kind: oneOf(o, "kind", Object.values(EntryKind)),
        body: bytes(o, "body"),
        ts: uint(o, "ts"),
      };
    case "synced":
      return { t, head: uint(o, "head") };
    case "ack":
      return { t, id: text(o, "id"), seq: uint(o, "seq") };
    case "eph":
      return { t, stream: bytes(o, "stream"), body: bytes(o, "body") };
    case "peers":
      return { t, peers: peerList(o) };
    case "pong":
      return { t };
    case "error": {
      const frame: RelayFrame = {
        t,
        code: oneOf<FrameErrorCode>(o, "code", FRAME_ERROR_CODES),
        message: text(o, "message"),
      };
      if (has(o, "id")) frame.id = text(o, "id");
      return frame;
    }
    default:
      throw bad(`unknown frame type "${t.slice(0, 32)}"`);
  }
}

function run<F>(raw: Uint8Array, decode: (o: Fields) => F, shape: CborShapeLimits): DecodeResult<F> {
  let o: Fields | undefined;
  try {
    o = readMap(raw, shape);
    return { ok: true, frame: decode(o) };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const error: FrameError = { code: e.code, message: e.message };
    const id = o?.["id"];
    if (o?.["t"] === "append" && typeof id === "string" && id.length <= ECHO_ID_MAX) error.id = id;
    return { ok: false, error };
  }
}

/**
 * Decode and validate a frame sent by a peer. Never throws: a frame that is not CBOR (or has more
 * structure than a frame has: {@link CBOR_SHAPE}, checked before decoding), not a map,
 * of an unknown type, or with a missing or mistyped field gives a `bad_frame` error naming the
 * field; a stream of the wrong length or `covers` on an update gives `invalid` (docs/specification.md 3.3).
 *
 * @example
 * const r = decodeFrame(bytes);
 * if (!r.ok) send({ t: "error", ...r.error });
 */
export function decodeFrame(raw: Uint8Array): DecodeResult<ClientFrame> {
  return run(raw, decodeClient, CBOR_SHAPE.clientFrame);
}

/** Decode and validate a frame sent by the relay (used by peers). Never throws. */
export function decodeRelayFrame(raw: Uint8Array): DecodeResult<RelayFrame> {
  return run(raw, decodeRelay, CBOR_SHAPE.relayFrame);
}
