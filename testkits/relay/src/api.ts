import { randomBytes } from "node:crypto";
import type { AuthResponse, CreatePairingTokenResponse } from "@botschat/protocol";

/** A decoded HTTP answer. `body` is parsed JSON when the response is JSON, else the text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  /** The raw body text. */
  text: string;
}

export interface RequestOptions {
  method?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialized as JSON (with `Content-Type: application/json`). */
  body?: unknown;
  /** Sent as-is instead of `body` (e.g. malformed JSON, blob bytes). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** `fetch(baseUrl + path)` returning status, headers and the parsed body. Never throws on HTTP errors. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json<T = any>(baseUrl: string, path: string, opts: RequestOptions = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers["authorization"] = `Bearer ${opts.token}`;
  let body: string | Uint8Array | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(baseUrl + path, { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A fresh, unique email address. */
export const uniqueEmail = (tag = "user"): string => `${tag}-${randomBytes(8).toString("hex")}@example.test`;

/** A registered user. */
export interface TestUser extends AuthResponse {
  email: string;
  password: string;
}

/** Register a user (unique email by default); fails unless the relay answers 201. */
export async function register(baseUrl: string, email = uniqueEmail(), password = "correct horse battery"): Promise<TestUser> {
  const r = await json<AuthResponse>(baseUrl, "/api/auth/register", { body: { email, password } });
  if (r.status !== 201) throw new Error(`register ${email}: HTTP ${r.status} ${r.text}`);
  return { ...r.body, email, password };
}

/** Log in; fails unless the relay answers 200. Returns `{userId, token}`. */
export async function login(baseUrl: string, email: string, password: string): Promise<AuthResponse> {
  const r = await json<AuthResponse>(baseUrl, "/api/auth/login", { body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

/** Create a pairing token with a session token; fails unless the relay answers 201. */
export async function createPairingToken(baseUrl: string, sessionToken: string, label = "test plugin"): Promise<CreatePairingTokenResponse> {
  const r = await json<CreatePairingTokenResponse>(baseUrl, "/api/pairing-tokens", { token: sessionToken, body: { label } });
  if (r.status !== 201) throw new Error(`create pairing token: HTTP ${r.status} ${r.text}`);
  return r.body;
}
