import { parseEnvelopeDocId, type EnvelopeDocId } from "@botschat/protocol";
import { createVault } from "../src/createVault.js";
import { sodium } from "../src/ready.js";
import { VAULT_MEM_MIN, VAULT_OPS_MIN } from "../src/sizes.js";
import type { CreatedVault } from "../src/Vault.js";

/** The cheapest Argon2 cost libsodium allows: keeps vault tests in milliseconds. */
export const FAST_KDF = { ops: VAULT_OPS_MIN, mem: VAULT_MEM_MIN } as const;

/** A vault at {@link FAST_KDF} cost. */
export function fastVault(passphrase = "correct horse battery staple"): CreatedVault {
  return createVault(passphrase, FAST_KDF);
}

/** A checked document id. */
export function docId(id: string): EnvelopeDocId {
  const parsed = parseEnvelopeDocId(id);
  if (parsed === undefined) throw new Error(`not a document id: ${id}`);
  return parsed;
}

/** `length` bytes counting up from `start` (mod 256): a recognisable stand-in for data. */
export function counting(length: number, start = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (start + i) & 0xff;
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return sodium().to_hex(bytes);
}

export function fromHex(text: string): Uint8Array {
  return sodium().from_hex(text);
}

/** A copy of `bytes` with bit 0 of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] ?? 0) ^ 1;
  return out;
}

/** Cuts `bytes` into pieces whose sizes cycle through `sizes`. */
export function cut(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/**
 * Where two byte arrays first differ (-1 if equal, the shorter length if one is a prefix).
 * Vitest's deep equality walks typed arrays element by element; this keeps megabyte
 * comparisons fast and still names the first bad byte.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
