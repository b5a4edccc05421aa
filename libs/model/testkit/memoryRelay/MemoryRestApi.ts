import { fromBase64url, toBase64url } from "@botschat/crypto";
import { CloseCode, PROTOCOL_VERSION, type DeviceId } from "@botschat/protocol";
import { TokenKind, type MemoryAccount, type MemoryAccounts, type MemoryToken } from "./MemoryAccounts.js";
import type { MemoryHub } from "./MemoryHub.js";

/** A REST request as the API reads it. */
export interface RestRequest {
  method: string;
  /** The path, `/api/...`, without the query. */
  path: string;
  /** The bearer token, if any. */
  token: string | undefined;
  /** The JSON body, parsed; undefined when there was none. */
  body: unknown;
}

/** A REST answer: the status and the JSON body (none for 204). */
export interface RestAnswer {
  status: number;
  body?: unknown;
}

const PASSWORD_MIN = 8;
const VAULT_MAX = 1024;

const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): RestAnswer => ({
  status,
  body: { error: { code, message }, ...extra },
});

function field(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === "string" ? v : undefined;
}

/**
 * The part of the relay's REST API that the engine and the engine tests use, with the relay's
 * statuses and bodies ([X1], section 2): register, login, logout, `GET /api/me`,
 * `PUT /api/me/vault` (204 when unset or byte-equal, 409 with the stored vault, 403 for a
 * pairing token), pairing tokens (revoking one closes its sockets with 4401), health. Anything
 * else is 404 `not_found`: blobs, sessions, invites and the password are not served.
 */
export class MemoryRestApi {
  constructor(
    private readonly accounts: MemoryAccounts,
    private readonly hub: MemoryHub,
  ) {}

  handle(req: RestRequest): RestAnswer {
    const route = `${req.method} ${req.path}`;
    const now = Date.now();
    switch (route) {
      case "GET /api/health":
        return { status: 200, body: { ok: true, version: PROTOCOL_VERSION, registration: "open" } };
      case "POST /api/auth/register": {
        const email = field(req.body, "email");
        const password = field(req.body, "password");
        if (!email) return error(400, "bad_request", 'The field "email" is missing or not text.');
        if (password === undefined) return error(400, "bad_request", 'The field "password" is missing or not text.');
        if (password.length < PASSWORD_MIN) return error(400, "bad_request", `The field "password" must be at least ${PASSWORD_MIN} characters.`);
        const r = this.accounts.register(email, password, now);
        if (!r) return error(409, "conflict", "An account with this email already exists.");
        return { status: 201, body: { userId: r.account.id, token: r.session.token } };
      }
      case "POST /api/auth/login": {
        const r = this.accounts.login(field(req.body, "email") ?? "", field(req.body, "password") ?? "", now);
        if (!r) return error(401, "unauthorized", "The email or password is wrong.");
        return { status: 200, body: { userId: r.account.id, token: r.session.token } };
      }
    }
    const auth = req.token === undefined ? null : this.accounts.authenticate(req.token);
    if (!auth) return error(401, "unauthorized", "A valid token is needed.");
    const { account, token } = auth;
    const sessionOnly = (answer: () => RestAnswer): RestAnswer =>
      token.kind === TokenKind.session ? answer() : error(403, "forbidden", "This needs a session token.");
    switch (route) {
      case "GET /api/me":
        return { status: 200, body: { userId: account.id, email: account.email, vault: account.vault ? toBase64url(account.vault) : null } };
      case "PUT /api/me/vault":
        return sessionOnly(() => this.putVault(account, req.body));
      case "POST /api/auth/logout":
        return sessionOnly(() => this.revoke(account, token.id, "signed out"));
      case "POST /api/pairing-tokens":
        return sessionOnly(() => {
          const label = field(req.body, "label");
          if (!label || label.length > 64) return error(400, "bad_request", 'The field "label" must be 1 to 64 characters.');
          const issued = this.accounts.issue(account.id, TokenKind.pairing, label, now);
          return { status: 201, body: { id: issued.record.id, token: issued.token, label, createdAt: issued.record.createdAt } };
        });
      case "GET /api/pairing-tokens":
        return sessionOnly(() => ({ status: 200, body: this.accounts.list(account.id, TokenKind.pairing).map((t) => this.pairingInfo(t)) }));
    }
    const revoked = /^DELETE \/api\/pairing-tokens\/([^/]+)$/.exec(route);
    if (revoked) {
      return sessionOnly(() => {
        const id = decodeURIComponent(revoked[1]!) as DeviceId;
        if (!this.accounts.list(account.id, TokenKind.pairing).some((t) => t.id === id)) return error(404, "not_found", "No such pairing token.");
        return this.revoke(account, id, "pairing token revoked");
      });
    }
    return error(404, "not_found", `No route ${route}.`);
  }

  private putVault(account: MemoryAccount, body: unknown): RestAnswer {
    const raw = field(body, "vault");
    if (raw === undefined || raw.length === 0 || raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) {
      return error(400, "bad_request", 'The field "vault" must be base64url.');
    }
    const vault = fromBase64url(raw);
    if (!vault) return error(400, "bad_request", 'The field "vault" must be base64url.');
    if (vault.length > VAULT_MAX) return error(400, "bad_request", 'The field "vault" must be at most 1 KiB.');
    const r = this.accounts.setVault(account.id, vault);
    if (!r.ok) return error(409, "conflict", "A different vault is already set.", { vault: toBase64url(r.stored) });
    return { status: 204 };
  }

  private revoke(account: MemoryAccount, id: DeviceId, reason: string): RestAnswer {
    this.accounts.revoke(account.id, id);
    this.hub.closeDevice(id, CloseCode.unauthorized, reason);
    return { status: 204 };
  }

  private pairingInfo(t: MemoryToken) {
    return { id: t.id, label: t.label, createdAt: t.createdAt, lastUsedAt: null, connected: this.hub.isConnected(t.id) };
  }
}
