import { sodium } from "./ready.js";

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Base64url (RFC 4648 section 5) without padding: how the REST API carries the vault
 * (`GET /api/me`, `PUT /api/me/vault`).
 */
export function toBase64url(bytes: Uint8Array): string {
  const s = sodium();
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING);
}

/**
 * Decodes base64url, with or without `=` padding; `undefined` for anything else (standard
 * base64's `+` and `/`, whitespace, an impossible length, non-zero trailing bits).
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  const unpadded = text.endsWith("==") ? text.slice(0, -2) : text.endsWith("=") ? text.slice(0, -1) : text;
  if (!ALPHABET.test(unpadded) || unpadded.length % 4 === 1) return undefined;
  // Padding, when present, must complete the last group of four.
  if (text !== unpadded && text.length % 4 !== 0) return undefined;
  const s = sodium();
  try {
    return s.from_base64(unpadded, s.base64_variants.URLSAFE_NO_PADDING);
  } catch (_invalid) {
    return undefined;
  }
}
