import { Readable } from "node:stream";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { getConnInfo } from "@hono/node-server/conninfo";
import {
  CloseCode,
  INVITE_TTL_MS,
  INVITES_PER_USER,
  PASSWORD_MAX,
  PASSWORD_MIN,
  parseBlobHash,
  RegistrationMode,
  SESSION_IDLE_MS,
  type AuthResponse,
  type CreateInviteResponse,
  type CreatePairingTokenResponse,
  type DeviceId,
  type HealthResponse,
  type InviteInfo,
  type MeResponse,
  type PairingTokenInfo,
  type SessionInfo,
} from "@botschat/protocol";
import type { RelayConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { BlobFiles } from "../store/BlobFiles.js";
import type { InviteRecord, LogStore, UserRecord } from "../store/LogStore.js";
import type { Hub } from "../sync/Hub.js";
import { KeyedLock } from "../KeyedLock.js";
import { RateLimiter } from "../TokenBucket.js";
import { addressKey, clientAddress } from "./addressKey.js";
import { ApiError, badRequest, notFound, unauthorized } from "./ApiError.js";
import { authenticate, bearer, type Authenticated } from "./authenticate.js";
import { optionalTextField, readJson, textField } from "./readJson.js";
import {
  dummyPasswordHash,
  hashPassword,
  looksLikeInviteCode,
  newDeviceId,
  newInviteCode,
  newInviteId,
  newToken,
  tokenHash,
  verifyPassword,
} from "./secrets.js";

export interface ApiDeps {
  config: RelayConfig;
  store: LogStore;
  blobs: BlobFiles;
  hub: Hub;
  log: Logger;
  version: string;
}

type Env = { Variables: { auth: Authenticated } };

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const LABEL_MAX = 64;
/** A pasted invite code may carry spaces around it; anything longer is not one. */
const INVITE_FIELD_MAX = 128;
/** Largest JSON request body. */
const JSON_BODY_MAX = 64 * 1024;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const forbidden = (message: string) => new ApiError(403, "forbidden", message);

/** The 403 sentences of registration (N22); one for every way an invite code can fail. */
const REGISTRATION_CLOSED = "Registration is closed on this relay.";
const INVITE_NEEDED = "Registration on this relay needs an invite code.";
const INVITE_INVALID = "This invite code is not valid: it may be used, revoked or expired.";

const inviteInfo = (i: InviteRecord): InviteInfo => ({ id: i.id, label: i.label, createdAt: i.createdAt, expiresAt: i.expiresAt });

/** The REST API of docs/specification.md section 2, mounted under /api. */
export function createApi(deps: ApiDeps): Hono<Env> {
  const { config, store, blobs, hub, log } = deps;
  const api = new Hono<Env>();
  const authLimiter = new RateLimiter(config.authRate / 60, config.authRate);
  const blobLocks = new KeyedLock();

  if (config.corsOrigins.length > 0) {
    api.use("*", cors({ origin: config.corsOrigins, allowHeaders: ["Authorization", "Content-Type"], maxAge: 600 }));
  }
  // Bounded before trusted: a JSON body is refused from its Content-Length, or as it streams past
  // the limit, before a route reads it. Blob uploads stream to disk with their own limit.
  const jsonLimit = bodyLimit({
    maxSize: JSON_BODY_MAX,
    onError: (c) => c.json({ error: { code: "too_large", message: `A request body may be at most ${JSON_BODY_MAX} bytes.` } }, 413),
  });
  api.use("*", (c, next) => (c.req.method === "PUT" && c.req.path.startsWith("/api/blobs/") ? next() : jsonLimit(c, next)));

  const addressOf = (c: Context) => addressKey(clientAddress(getConnInfo(c).remote.address, c.req.header("x-forwarded-for"), config.trustProxy));

  const limited = (key: string) => {
    const r = authLimiter.take(key);
    if (!r.ok) throw new ApiError(429, "rate_limited", "Too many attempts; try again shortly.", undefined, Math.ceil(r.retryAfterMs / 1000));
  };
  /** [X5]: every password attempt from an address counts, before its body is even read. */
  const limitAddress = (c: Context) => limited(`ip:${addressOf(c)}`);
  /**
   * [X5]: a wrong password counts against the account too (guessing from many addresses slows
   * down), but only wrong ones: a stranger's failures never keep the owner, who knows it, out.
   */
  const wrongPassword = (account: string, message: string): never => {
    limited(`account:${account}`);
    throw unauthorized(message);
  };

  const requireAuth = (kind: "any" | "session") => async (c: Context<Env>, next: () => Promise<void>) => {
    const token = bearer(c.req.header("authorization"));
    const auth = token ? await authenticate(store, token) : null;
    if (!auth) throw unauthorized();
    if (kind === "session" && auth.token.kind !== "session") {
      throw new ApiError(403, "forbidden", "This needs a signed-in session, not a pairing token.");
    }
    c.set("auth", auth);
    await next();
  };

  const readCredentials = async (c: Context) => {
    const body = await readJson(c);
    const email = textField(body, "email", { max: 254 }).trim().toLowerCase();
    const password = textField(body, "password", { max: PASSWORD_MAX });
    if (!EMAIL.test(email)) throw badRequest('The field "email" must be an email address.');
    return { email, password, body };
  };

  const issueSession = async (userId: AuthResponse["userId"], label: string) => {
    const token = newToken("session");
    const { id } = await store.createToken({
      id: newDeviceId(),
      userId: userId as never,
      kind: "session",
      label,
      secretHash: tokenHash(token),
      now: Date.now(),
    });
    return { token, id };
  };

  const deviceLabel = (c: Context) => (c.req.header("user-agent") ?? "browser").slice(0, LABEL_MAX);

  /** What a sign-up meets now (N22): a relay without any account is open for its first one. */
  const registrationNow = async (): Promise<RegistrationMode> =>
    config.registration === RegistrationMode.open || !(await store.hasUsers()) ? RegistrationMode.open : config.registration;

  api.get("/health", async (c) => c.json({ ok: true, version: deps.version, registration: await registrationNow() } satisfies HealthResponse));

  api.post("/auth/register", async (c) => {
    limitAddress(c);
    const { email, password, body } = await readCredentials(c);
    const invite = config.registration === RegistrationMode.invite ? optionalTextField(body, "invite", { max: INVITE_FIELD_MAX })?.trim() : undefined;
    if (password.length < PASSWORD_MIN) {
      throw badRequest(`The field "password" must be at least ${PASSWORD_MIN} characters.`);
    }
    let user: UserRecord | null;
    if (config.registration === RegistrationMode.open) {
      user = await store.createUser(email, await hashPassword(password), Date.now());
    } else {
      // N22: refusals that need no invite lookup are answered before paying for a password hash;
      // the store decides again, in the write that creates the account.
      const refusal = config.registration === RegistrationMode.closed ? REGISTRATION_CLOSED : invite ? INVITE_INVALID : INVITE_NEEDED;
      const code = invite && looksLikeInviteCode(invite) ? invite : null;
      if (code === null && (await store.hasUsers())) throw forbidden(refusal);
      const created = await store.createUserIfAdmitted(email, await hashPassword(password), Date.now(), code === null ? null : tokenHash(code));
      if (created === "refused") throw forbidden(refusal);
      user = created === "taken" ? null : created;
    }
    if (!user) throw new ApiError(409, "conflict", "An account with this email already exists.");
    log.info("account created", { userId: user.id, registration: config.registration });
    const answer: AuthResponse = { userId: user.id, token: (await issueSession(user.id, deviceLabel(c))).token };
    return c.json(answer, 201);
  });

  api.post("/auth/login", async (c) => {
    limitAddress(c);
    const { email, password } = await readCredentials(c);
    const user = await store.getUserByEmail(email);
    // Unknown emails pay for a hash too, so both failures look and take alike.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) return wrongPassword(email, "The email or password is wrong.");
    const session = await issueSession(user.id, deviceLabel(c));
    // N21: a password changed while this one was being checked ended every other session; this
    // one, made from the old password, must not outlive it either.
    if ((await store.getUser(user.id))?.passwordHash !== user.passwordHash) {
      await store.deleteToken(user.id, session.id);
      throw unauthorized("The email or password is wrong.");
    }
    const body: AuthResponse = { userId: user.id, token: session.token };
    return c.json(body, 200);
  });

  api.post("/auth/logout", requireAuth("session"), async (c) => {
    const { token } = c.get("auth");
    await store.deleteToken(token.userId, token.id);
    hub.closeDevice(token.id, CloseCode.unauthorized, "signed out");
    return c.body(null, 204);
  });

  api.post("/auth/logout-others", requireAuth("session"), async (c) => {
    const { user, token } = c.get("auth");
    const gone = await store.deleteOtherSessions(user.id, token.id);
    for (const t of gone) hub.closeDevice(t.id, CloseCode.unauthorized, "signed out by another session");
    log.info("other sessions signed out", { userId: user.id, sessions: gone.length });
    return c.body(null, 204);
  });

  api.get("/sessions", requireAuth("session"), async (c) => {
    const { user, token } = c.get("auth");
    // A session idle past its expiry is gone for every purpose, even before the sweep deletes it ([X3]).
    const idleSince = Date.now() - SESSION_IDLE_MS;
    const rows = (await store.listTokens(user.id, "session")).filter((t) => (t.lastUsedAt ?? t.createdAt) >= idleSince);
    const body: SessionInfo[] = rows.map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
      current: t.id === token.id,
    }));
    return c.json(body);
  });

  api.delete("/sessions/:id", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const id = c.req.param("id") as DeviceId;
    // Another user's session id, or a pairing token's, is simply not found ([X6]).
    const rows = await store.listTokens(user.id, "session");
    if (!rows.some((t) => t.id === id) || !(await store.deleteToken(user.id, id))) throw notFound("No such session.");
    hub.closeDevice(id, CloseCode.unauthorized, "signed out by another session");
    log.info("session signed out by another", { userId: user.id });
    return c.body(null, 204);
  });

  api.get("/me", requireAuth("any"), (c) => {
    const { user } = c.get("auth");
    const body: MeResponse = {
      userId: user.id,
      email: user.email,
      vault: user.vault ? b64(user.vault) : null,
      usedBytes: user.usedBytes,
      quota: config.quota,
    };
    return c.json(body);
  });

  api.put("/me/vault", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const raw = textField(await readJson(c), "vault", { min: 1, max: 2048 });
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw badRequest('The field "vault" must be base64url.');
    const vault = new Uint8Array(Buffer.from(raw, "base64url"));
    if (vault.length > 1024) throw badRequest('The field "vault" must be at most 1 KiB.');
    const r = await store.setVault(user.id, vault);
    if (!r.ok) throw new ApiError(409, "conflict", "A different vault is already set.", { vault: b64(r.stored) });
    return c.body(null, 204);
  });

  api.delete("/me", requireAuth("session"), async (c) => {
    limitAddress(c);
    const { user } = c.get("auth");
    const password = textField(await readJson(c), "password", { max: PASSWORD_MAX });
    if (!(await verifyPassword(password, user.passwordHash))) return wrongPassword(user.email, "The password is wrong.");
    hub.closeUser(user.id, CloseCode.unauthorized, "account deleted");
    await store.deleteUser(user.id);
    await blobs.deleteUser(user.id);
    log.info("account deleted", { userId: user.id });
    return c.body(null, 204);
  });

  api.put("/me/password", requireAuth("session"), async (c) => {
    limitAddress(c);
    const { user, token } = c.get("auth");
    const body = await readJson(c);
    const password = textField(body, "password", { max: PASSWORD_MAX });
    const newPassword = textField(body, "newPassword", { min: PASSWORD_MIN, max: PASSWORD_MAX });
    if (!(await verifyPassword(password, user.passwordHash))) return wrongPassword(user.email, "The current password is wrong.");
    const gone = await store.changePassword(user.id, await hashPassword(newPassword), token.id);
    // This session ended meanwhile (signed out, or another session changed the password first).
    if (gone === null) throw unauthorized();
    for (const t of gone) hub.closeDevice(t.id, CloseCode.unauthorized, "password changed");
    log.info("password changed", { userId: user.id, sessions: gone.length });
    return c.body(null, 204);
  });

  api.post("/invites", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    if (config.registration !== RegistrationMode.invite) throw forbidden("Registration on this relay is not by invitation.");
    const label = optionalTextField(await readJson(c), "label", { max: LABEL_MAX })?.trim() ?? "";
    const code = newInviteCode();
    const now = Date.now();
    const invite = await store.createInvite(
      { id: newInviteId(), userId: user.id, label, codeHash: tokenHash(code), now, expiresAt: now + INVITE_TTL_MS },
      INVITES_PER_USER,
    );
    if (!invite) throw new ApiError(409, "conflict", `At most ${INVITES_PER_USER} invite codes may wait to be used at once: revoke one first.`);
    const body: CreateInviteResponse = { ...inviteInfo(invite), code };
    return c.json(body, 201);
  });

  api.get("/invites", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const body: InviteInfo[] = (await store.listInvites(user.id, Date.now())).map(inviteInfo);
    return c.json(body);
  });

  api.delete("/invites/:id", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    // Another user's invite id is simply not found ([X6]).
    if (!(await store.deleteInvite(user.id, c.req.param("id") ?? ""))) throw notFound("No such invite code.");
    return c.body(null, 204);
  });

  api.post("/pairing-tokens", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const label = textField(await readJson(c), "label", { min: 1, max: LABEL_MAX });
    const token = newToken("pairing");
    const rec = await store.createToken({
      id: newDeviceId(),
      userId: user.id,
      kind: "pairing",
      label,
      secretHash: tokenHash(token),
      now: Date.now(),
    });
    const body: CreatePairingTokenResponse = { id: rec.id, token, label: rec.label, createdAt: rec.createdAt };
    return c.json(body, 201);
  });

  api.get("/pairing-tokens", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const rows = await store.listTokens(user.id, "pairing");
    const body: PairingTokenInfo[] = rows.map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
      connected: hub.isConnected(t.id),
    }));
    return c.json(body);
  });

  api.delete("/pairing-tokens/:id", requireAuth("session"), async (c) => {
    const { user } = c.get("auth");
    const id = c.req.param("id") as DeviceId;
    // Another user's token id is simply not found ([X6]).
    const rows = await store.listTokens(user.id, "pairing");
    if (!rows.some((t) => t.id === id) || !(await store.deleteToken(user.id, id))) throw notFound("No such pairing token.");
    hub.closeDevice(id, CloseCode.unauthorized, "pairing token revoked");
    return c.body(null, 204);
  });

  api.put("/blobs/:hash", requireAuth("any"), async (c) => {
    const { user } = c.get("auth");
    const hash = parseBlobHash(c.req.param("hash") ?? "");
    if (!hash) throw badRequest("The blob id must be 64 lowercase hex characters (its SHA-256).");
    const declared = Number(c.req.header("content-length") ?? NaN);
    if (declared > config.blobLimit) throw new ApiError(413, "too_large", `Blobs may be at most ${config.blobLimit} bytes.`);
    if (declared + user.usedBytes > config.quota) throw new ApiError(413, "quota_exceeded", "The storage quota is used up.");
    if ((await store.blobSize(user.id, hash)) !== null) {
      await c.req.raw.body?.cancel().catch(() => undefined);
      return c.body(null, 200);
    }
    const body = c.req.raw.body;
    if (!body) throw badRequest("The request has no body.");
    // N23: the file and its record change together, never interleaved with a deletion of the same blob.
    return blobLocks.run(`${user.id}/${hash}`, async () => {
      const written = await blobs.write(user.id, hash, body as unknown as AsyncIterable<Uint8Array>, config.blobLimit);
      if (!written.ok) {
        if (written.code === "too_large") throw new ApiError(413, "too_large", `Blobs may be at most ${config.blobLimit} bytes.`);
        throw badRequest("The body's SHA-256 does not match the blob id.");
      }
      const added = await store.addBlob(user.id, hash, written.size, Date.now(), config.quota);
      if (added === "quota_exceeded") {
        if (!written.existed) await blobs.remove(user.id, hash);
        throw new ApiError(413, "quota_exceeded", "The storage quota is used up.");
      }
      return c.body(null, added === "added" ? 201 : 200);
    });
  });

  api.get("/blobs/:hash", requireAuth("any"), async (c) => {
    const { user } = c.get("auth");
    const hash = parseBlobHash(c.req.param("hash") ?? "");
    if (!hash || (await store.blobSize(user.id, hash)) === null) throw notFound("No such blob.");
    const file = await blobs.open(user.id, hash);
    if (!file) throw notFound("No such blob.");
    return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(file.size),
      "Cache-Control": "private, max-age=31536000, immutable",
    });
  });

  // N23: the record goes first, with its bytes off the quota, then the file. A crash between
  // leaves a file nobody can reach (the next start removes it), never a record without bytes.
  api.delete("/blobs/:hash", requireAuth("any"), async (c) => {
    const { user } = c.get("auth");
    const hash = parseBlobHash(c.req.param("hash") ?? "");
    if (!hash) throw notFound("No such blob.");
    const freed = await blobLocks.run(`${user.id}/${hash}`, async () => {
      const size = await store.removeBlob(user.id, hash);
      if (size !== null) await blobs.remove(user.id, hash);
      return size;
    });
    if (freed === null) throw notFound("No such blob.");
    return c.body(null, 204);
  });

  api.all("*", () => {
    throw notFound("No such API route.");
  });

  return api;
}
