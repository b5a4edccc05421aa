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
/**
 * `POST /api/auth/register`: on a relay whose registration is by invitation, `invite` carries an
 * unused, unexpired invite code (docs/protocol.md N22).
 */
export interface RegisterRequest extends AuthRequest {
  invite?: string;
}
export interface AuthResponse {
  userId: string;
  token: string;
}
/**
 * `GET /api/me`. `vault` is base64url, null until set. `usedBytes` is what the account's log and
 * blobs take on the relay, out of `quota` (absent from relays from before they were reported).
 */
export interface MeResponse {
  userId: string;
  email: string;
  vault: string | null;
  usedBytes?: number;
  quota?: number;
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
/**
 * `PUT /api/me/password`: the current password and the new one. On 204 every other session of the
 * account is signed out; pairing tokens stay (docs/protocol.md N21).
 */
export interface ChangePasswordRequest {
  password: string;
  newPassword: string;
}
/** One row of `GET /api/sessions`: a signed-in session of the account; `current` is the caller's. */
export interface SessionInfo {
  id: string;
  /** What the browser called itself when it signed in. */
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  current: boolean;
}
/** `POST /api/invites`. */
export interface CreateInviteRequest {
  label?: string;
}
/** One row of `GET /api/invites`: an invite code not used yet and not expired, without its code. */
export interface InviteInfo {
  id: string;
  label: string;
  createdAt: number;
  expiresAt: number;
}
/** The 201 answer of `POST /api/invites`: the code is shown this once. */
export interface CreateInviteResponse extends InviteInfo {
  code: string;
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
/**
 * Who may create an account on a relay (`--registration`, docs/protocol.md N22): anyone, nobody
 * (but the first account), or whoever holds an invite code made by an existing user.
 */
export const RegistrationMode = { open: "open", closed: "closed", invite: "invite" } as const;
export type RegistrationMode = (typeof RegistrationMode)[keyof typeof RegistrationMode];
/** Every {@link RegistrationMode}, in the order `--help` lists them. */
export const REGISTRATION_MODES = [RegistrationMode.open, RegistrationMode.closed, RegistrationMode.invite] as const;

/** `GET /api/health`. */
export interface HealthResponse {
  ok: true;
  version: string;
  /** What a sign-up meets now: `open` on a relay without any account yet, whatever its mode (N22). */
  registration: RegistrationMode;
}

/** Token prefixes ([X3]). */
export const TokenPrefix = { session: "bc_ses_", pairing: "bc_pat_" } as const;
/** Minimum number of base62 characters after a token's prefix. */
export const TOKEN_SECRET_MIN = 32;
/** Session tokens expire after this long unused ([X3]). */
export const SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** Shortest accepted password. */
export const PASSWORD_MIN = 8;
/** Longest accepted password. */
export const PASSWORD_MAX = 1024;
/** Invite codes: `bc_inv_` + base62, shown once, stored hashed like tokens (N22). */
export const INVITE_PREFIX = "bc_inv_";
/** An invite code can be used this long after it was made. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Invite codes one user may have outstanding (unused, unexpired) at once. */
export const INVITES_PER_USER = 20;
