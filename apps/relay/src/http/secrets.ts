import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { INVITE_PREFIX, TokenPrefix, type DeviceId } from "@botschat/protocol";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `n` base62 characters from the CSPRNG, without modulo bias. */
export function randomBase62(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

/** 43 base62 characters ≈ 256 bits. */
const SECRET_CHARS = 43;
const TOKEN_RE = /^bc_(ses|pat)_[0-9A-Za-z]{32,128}$/;

export const newDeviceId = () => `d_${randomBase62(22)}` as DeviceId;
export const newToken = (kind: "session" | "pairing") => TokenPrefix[kind] + randomBase62(SECRET_CHARS);

/** Whether a string has the shape of a token ([X3]); anything else is refused without a lookup. */
export const looksLikeToken = (s: string) => TOKEN_RE.test(s);

const INVITE_RE = /^bc_inv_[0-9A-Za-z]{43}$/;
/** An invite's public id (N22). */
export const newInviteId = () => `i_${randomBase62(22)}`;
/** An invite code (N22): shown once, stored as its {@link tokenHash}. */
export const newInviteCode = () => INVITE_PREFIX + randomBase62(SECRET_CHARS);
/** Whether a string has the shape of an invite code; anything else admits nobody, without a lookup. */
export const looksLikeInviteCode = (s: string) => INVITE_RE.test(s);

/** What the store keeps instead of a token ([X3]) or an invite code (N22): its SHA-256. */
export const tokenHash = (token: string) => new Uint8Array(createHash("sha256").update(token).digest());

// scrypt at N=2^15, r=8, p=1: 32 MiB and tens of ms per hash, memory-hard ([X4]).
const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((res, rej) => scrypt(password.normalize("NFKC"), salt, KEY_LEN, opts, (e, k) => (e ? rej(e) : res(k))));
}

/** `scrypt$N$r$p$salt$hash` (base64url parts), with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A hash of nothing, checked against on unknown emails so that they cost the same time ([X2] login). */
let dummy: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummy ??= hashPassword(randomBase62(16)));

/** Constant-time check of a password against a stored `scrypt$…` hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
