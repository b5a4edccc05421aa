import { Encoder } from "cbor-x";

/**
 * The one CBOR configuration of the protocol: plain maps as objects, byte strings as
 * `Uint8Array` (no typed-array tags), no cbor-x records, and 64-bit integers decoded as numbers.
 */
const options: ConstructorParameters<typeof Encoder>[0] & { int64AsNumber: boolean } = {
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  tagUint8Array: false,
  // Known to cbor-x's decoder but missing from its typings.
  int64AsNumber: true,
  pack: false,
};
const codec = new Encoder(options);

const TWO_32 = 2 ** 32;

/**
 * cbor-x writes a JS number ≥ 2^32 as a float; the protocol wants CBOR major type 0 with an
 * 8-byte argument (docs/specification.md section 3), which cbor-x writes for a BigInt.
 */
function widen(value: unknown): unknown {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= TWO_32 ? BigInt(value) : value;
  }
  if (value instanceof Uint8Array || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(widen);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = widen(v);
  return out;
}

/** Encode a value as protocol CBOR. */
export function encodeCbor(value: unknown): Uint8Array {
  return codec.encode(widen(value));
}

/** Decode protocol CBOR; throws on malformed input (callers at the edge catch it). */
export function decodeCbor(bytes: Uint8Array): unknown {
  return codec.decode(bytes);
}
