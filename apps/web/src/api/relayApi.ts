/**
 * The relay's REST API (PROTOCOL section 2) as the UI uses it: results, not exceptions.
 * Calls go to the page's own origin (the relay serves the app; `vite dev` proxies /api).
 */

import type { AuthResponse, CreatePairingTokenResponse, MeResponse, PairingTokenInfo } from "@botschat/protocol";

export type { PairingTokenInfo };

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
  register: (email: string, password: string) => call<AuthResponse>("POST", "/auth/register", { body: { email, password } }),
  login: (email: string, password: string) => call<AuthResponse>("POST", "/auth/login", { body: { email, password } }),
  logout: (token: string) => call<void>("POST", "/auth/logout", { token }),
  me: (token: string) => call<MeResponse>("GET", "/me", { token }),
  createPairingToken: (token: string, label: string) =>
    call<CreatePairingTokenResponse>("POST", "/pairing-tokens", { token, body: { label } }),
  listPairingTokens: (token: string) => call<PairingTokenInfo[]>("GET", "/pairing-tokens", { token }),
  deletePairingToken: (token: string, id: string) => call<void>("DELETE", `/pairing-tokens/${encodeURIComponent(id)}`, { token }),
};
