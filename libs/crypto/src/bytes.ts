import { sodium } from "./ready.js";

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `a ‖ b ‖ …` as one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Equal length and equal bytes, compared in constant time for a given length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}

/**
 * A plain `Uint8Array` copy: decoders may hand out views into a shared buffer (or a Node
 * `Buffer`), which must neither leak neighbouring bytes nor change under the caller.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** A decoded CBOR map, as `decodeCbor` returns it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** `value` with every byte string (at any depth) replaced by a plain `Uint8Array` copy. */
export function withPlainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return copyBytes(value);
  if (Array.isArray(value)) return value.map(withPlainBytes);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = withPlainBytes(field);
    return out;
  }
  return value;
}
