import type { ErrorCode } from "./codes.js";

/** Every REST error body ([X1]). */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}

/** `POST /api/auth/register` and `POST /api/auth/login`. */
export interface AuthRequest {
  email: string;
  password: string;
}
export interface AuthResponse {
  userId: string;
  token: string;
}
/** `GET /api/me`. `vault` is base64url, null until set. */
export interface MeResponse {
  userId: string;
  email: string;
  vault: string | null;
}
/** `PUT /api/me/vault`. */
export interface PutVaultRequest {
  vault: string;
}
/** The 409 answer of `PUT /api/me/vault`: the error plus the vault already stored. */
export interface VaultConflictBody extends ApiErrorBody {
  vault: string;
}
/** `DELETE /api/me`. */
export interface DeleteAccountRequest {
  password: string;
}
/** `POST /api/pairing-tokens`. */
export interface CreatePairingTokenRequest {
  label: string;
}
export interface CreatePairingTokenResponse {
  id: string;
  token: string;
  label: string;
  createdAt: number;
}
/** One row of `GET /api/pairing-tokens`. */
export interface PairingTokenInfo {
  id: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  connected: boolean;
}
/** `GET /api/health`. */
export interface HealthResponse {
  ok: true;
  version: string;
}

/** Token prefixes ([X3]). */
export const TokenPrefix = { session: "bc_ses_", pairing: "bc_pat_" } as const;
/** Minimum number of base62 characters after a token's prefix. */
export const TOKEN_SECRET_MIN = 32;
/** Session tokens expire after this long unused ([X3]). */
export const SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** Shortest accepted password. */
export const PASSWORD_MIN = 8;
