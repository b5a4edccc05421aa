/**
 * The relay's REST API (PROTOCOL section 2) as the UI uses it: results, not exceptions.
 * Calls go to the page's own origin (the relay serves the app; `vite dev` proxies /api).
 */

import type {
  AuthResponse,
  CreateInviteResponse,
  CreatePairingTokenResponse,
  HealthResponse,
  InviteInfo,
  MeResponse,
  PairingTokenInfo,
  SessionInfo,
} from "@botschat/protocol";

export type { CreateInviteResponse, HealthResponse, InviteInfo, MeResponse, PairingTokenInfo, SessionInfo };

/** An outcome of a REST call: the value, or a sentence to show and the relay's error code. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; status: number };

export interface Account {
  userId: string;
  email: string;
  token: string;
}

async function call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      cache: "no-store",
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    return { ok: false, code: "offline", message: "The server cannot be reached. Check your connection.", status: 0 };
  }
  if (res.status === 204) return { ok: true, value: undefined as T };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return { ok: false, code: err?.code ?? "internal", message: err?.message ?? `The server answered ${res.status}.`, status: res.status };
  }
  return { ok: true, value: body as T };
}

export const relayApi = {
  health: () => call<HealthResponse>("GET", "/health"),
  /** `invite` only on a relay whose registration is by invitation. */
  register: (email: string, password: string, invite?: string) =>
    call<AuthResponse>("POST", "/auth/register", { body: invite === undefined ? { email, password } : { email, password, invite } }),
  login: (email: string, password: string) => call<AuthResponse>("POST", "/auth/login", { body: { email, password } }),
  logout: (token: string) => call<void>("POST", "/auth/logout", { token }),
  logoutOthers: (token: string) => call<void>("POST", "/auth/logout-others", { token }),
  listSessions: (token: string) => call<SessionInfo[]>("GET", "/sessions", { token }),
  /** Signs out one other session of the account (its sockets close at once). */
  deleteSession: (token: string, id: string) => call<void>("DELETE", `/sessions/${encodeURIComponent(id)}`, { token }),
  me: (token: string) => call<MeResponse>("GET", "/me", { token }),
  /** Deletes the account, its log, blobs and tokens on the relay; needs the password. */
  deleteAccount: (token: string, password: string) => call<void>("DELETE", "/me", { token, body: { password } }),
  changePassword: (token: string, password: string, newPassword: string) => call<void>("PUT", "/me/password", { token, body: { password, newPassword } }),
  createInvite: (token: string, label: string) => call<CreateInviteResponse>("POST", "/invites", { token, body: label === "" ? {} : { label } }),
  listInvites: (token: string) => call<InviteInfo[]>("GET", "/invites", { token }),
  deleteInvite: (token: string, id: string) => call<void>("DELETE", `/invites/${encodeURIComponent(id)}`, { token }),
  createPairingToken: (token: string, label: string) => call<CreatePairingTokenResponse>("POST", "/pairing-tokens", { token, body: { label } }),
  listPairingTokens: (token: string) => call<PairingTokenInfo[]>("GET", "/pairing-tokens", { token }),
  deletePairingToken: (token: string, id: string) => call<void>("DELETE", `/pairing-tokens/${encodeURIComponent(id)}`, { token }),
};
