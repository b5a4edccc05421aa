import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPairingToken, json, login, openSynced, randomBody, register, type RelayProcess, startRelay, uniqueEmail } from "@botschat/relay-testkit";
import { expectApiError, expectNoInternals, waitFor } from "./support.js";

let relay: RelayProcess;
let url: string;
beforeAll(async () => {
  relay = await startRelay();
  url = relay.url;
});
afterAll(async () => {
  await relay.stop();
});

const SESSION = /^bc_ses_[0-9A-Za-z]{32,}$/;
const PAIRING = /^bc_pat_[0-9A-Za-z]{32,}$/;
const b64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("[X1] errors", () => {
  it("[X1] an unknown API route is a JSON 404 not_found", async () => {
    expectApiError(await json(url, "/api/no-such-route"), 404, "not_found");
  });

  it("[X1] a missing or unknown token is a JSON 401 unauthorized", async () => {
    expectApiError(await json(url, "/api/me"), 401, "unauthorized");
    expectApiError(await json(url, "/api/me", { token: "bc_ses_" + "A".repeat(43) }), 401, "unauthorized");
    expectApiError(await json(url, "/api/me", { headers: { authorization: "Basic Zm9vOmJhcg==" } }), 401, "unauthorized");
  });
});

describe("[X2] request bodies", () => {
  it("[X2] a body that is not JSON gets 400 bad_request", async () => {
    const res = await json(url, "/api/auth/register", { method: "POST", rawBody: "{not json", headers: { "content-type": "application/json" } });
    expectApiError(res, 400, "bad_request");
  });

  it("[X2] a JSON body that is not an object gets 400 bad_request", async () => {
    for (const body of [[1, 2], "text", 42, null]) {
      expectApiError(await json(url, "/api/auth/register", { body }), 400, "bad_request");
    }
  });

  it.each([
    [{ password: "long enough password" }, "email"],
    [{ email: uniqueEmail() }, "password"],
    [{ email: 12345, password: "long enough password" }, "email"],
    [{ email: uniqueEmail(), password: ["long enough password"] }, "password"],
  ])("[X2] register with %j gets 400 naming %s", async (body, field) => {
    const res = await json(url, "/api/auth/register", { body });
    expectApiError(res, 400, "bad_request");
    expect(res.body.error.message).toContain(field);
  });

  it("[X2] login with a missing or mistyped field gets 400 naming it", async () => {
    const res = await json(url, "/api/auth/login", { body: { email: uniqueEmail(), password: 5 } });
    expectApiError(res, 400, "bad_request");
    expect(res.body.error.message).toContain("password");
  });

  it("[X2] pairing token creation without a label gets 400 naming it", async () => {
    const u = await register(url);
    const res = await json(url, "/api/pairing-tokens", { token: u.token, body: { labell: "typo" } });
    expectApiError(res, 400, "bad_request");
    expect(res.body.error.message).toContain("label");
  });

  it("[X2] unknown JSON fields are ignored", async () => {
    const res = await json(url, "/api/auth/register", { body: { email: uniqueEmail(), password: "long enough password", extra: { nested: true } } });
    expect(res.status).toBe(201);
  });
});

describe("[X3] tokens", () => {
  it("[X3] session tokens are bc_ses_ + 32+ base62, pairing tokens bc_pat_ + 32+ base62", async () => {
    const u = await register(url);
    expect(u.token).toMatch(SESSION);
    expect(u.userId).toMatch(/^u_[0-9A-Za-z]{16,}$/);
    const l = await login(url, u.email, u.password);
    expect(l.token).toMatch(SESSION);
    expect(l.token).not.toBe(u.token);
    const p = await createPairingToken(url, u.token, "cli");
    expect(p.token).toMatch(PAIRING);
  });

  it("[X3] the relay stores no token in clear, only hashes", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token, "stored?");
    // Make sure both have been used and written.
    expect((await json(url, "/api/me", { token: p.token })).status).toBe(200);
    const files = readdirSync(relay.dataDir).filter((f) => f.startsWith("relay.db"));
    expect(files.length).toBeGreaterThan(0);
    const stored = files.map((f) => readFileSync(join(relay.dataDir, f)).toString("latin1")).join("");
    for (const t of [u.token, p.token]) {
      expect(stored).not.toContain(t);
      expect(stored).not.toContain(t.slice(7));
    }
    expect(stored).not.toContain(u.password);
  });
});

describe("[X4] passwords", () => {
  it("[X4] login answers the same for unknown email and wrong password, and both pay for a password hash", async () => {
    const u = await register(url);
    const time = async (email: string) => {
      const t0 = performance.now();
      const res = await json(url, "/api/auth/login", { body: { email, password: "wrong password!" } });
      return { ms: performance.now() - t0, res };
    };
    await time(u.email); // warm up
    const wrong: number[] = [];
    const unknown: number[] = [];
    let wrongRes, unknownRes;
    for (let i = 0; i < 3; i++) {
      const a = await time(u.email);
      const b = await time(uniqueEmail());
      wrong.push(a.ms);
      unknown.push(b.ms);
      wrongRes = a.res;
      unknownRes = b.res;
    }
    expectApiError(wrongRes!, 401, "unauthorized");
    expectApiError(unknownRes!, 401, "unauthorized");
    expect(unknownRes!.body).toEqual(wrongRes!.body);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    // A memory-hard hash takes tens of milliseconds; an unknown email must pay for one too.
    expect(median(wrong)).toBeGreaterThan(20);
    expect(median(unknown)).toBeGreaterThan(20);
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 3);
  });

  it("[X4] two users with the same password can both log in (per-user salt), and the password is checked", async () => {
    const a = await register(url, uniqueEmail(), "shared password 1");
    const b = await register(url, uniqueEmail(), "shared password 1");
    expect((await login(url, a.email, "shared password 1")).userId).toBe(a.userId);
    expect((await login(url, b.email, "shared password 1")).userId).toBe(b.userId);
    expectApiError(await json(url, "/api/auth/login", { body: { email: a.email, password: "shared password 2" } }), 401, "unauthorized");
  });
});

describe("REST routes", () => {
  it("emails are compared case-insensitively (docs/protocol.md N13)", async () => {
    const email = uniqueEmail("Mixed");
    const u = await register(url, email);
    expect((await login(url, email.toUpperCase(), u.password)).userId).toBe(u.userId);
    expectApiError(await json(url, "/api/auth/register", { body: { email: email.toLowerCase(), password: "another password" } }), 409, "conflict");
  });

  it("GET /api/health answers {ok: true, version, registration} without auth", async () => {
    const res = await json(url, "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: expect.any(String), registration: "open" });
  });

  it("POST /api/auth/register answers 201 {userId, token}, 409 for an existing email, 400 for a short password", async () => {
    const email = uniqueEmail();
    const res = await json(url, "/api/auth/register", { body: { email, password: "12345678" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: expect.stringMatching(/^u_/), token: expect.stringMatching(SESSION) });
    expectApiError(await json(url, "/api/auth/register", { body: { email, password: "another password" } }), 409, "conflict");
    const short = await json(url, "/api/auth/register", { body: { email: uniqueEmail(), password: "1234567" } });
    expectApiError(short, 400, "bad_request");
    expect(short.body.error.message).toContain("password");
  });

  it("POST /api/auth/login answers 200 {userId, token} for the right password", async () => {
    const u = await register(url);
    const res = await json(url, "/api/auth/login", { body: { email: u.email, password: u.password } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: u.userId, token: expect.stringMatching(SESSION) });
    expect((await json(url, "/api/me", { token: res.body.token })).body.userId).toBe(u.userId);
  });

  it("POST /api/auth/logout answers 204 and the token stops working at once; other sessions keep working", async () => {
    const u = await register(url);
    const other = await login(url, u.email, u.password);
    const res = await json(url, "/api/auth/logout", { method: "POST", token: u.token });
    expect(res.status).toBe(204);
    expectApiError(await json(url, "/api/me", { token: u.token }), 401, "unauthorized");
    expect((await json(url, "/api/me", { token: other.token })).status).toBe(200);
  });

  it("session-only routes refuse a pairing token", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token);
    const attempts = [
      json(url, "/api/auth/logout", { method: "POST", token: p.token }),
      json(url, "/api/me/vault", { method: "PUT", token: p.token, body: { vault: b64url(randomBody(32)) } }),
      json(url, "/api/me", { method: "DELETE", token: p.token, body: { password: u.password } }),
      json(url, "/api/pairing-tokens", { token: p.token, body: { label: "escalate" } }),
      json(url, "/api/pairing-tokens", { token: p.token }),
      json(url, `/api/pairing-tokens/${p.id}`, { method: "DELETE", token: p.token }),
    ];
    // docs/protocol.md N13: 403 forbidden.
    for (const res of await Promise.all(attempts)) expectApiError(res, 403, "forbidden");
    // Nothing happened: the account, its vault and its token list are as before.
    const me = await json(url, "/api/me", { token: u.token });
    expect(me.body).toMatchObject({ userId: u.userId, email: u.email, vault: null });
    expect((await json(url, "/api/pairing-tokens", { token: u.token })).body).toHaveLength(1);
  });

  it("GET /api/me answers {userId, email, vault: null, usedBytes, quota} for a session or a pairing token", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token);
    for (const token of [u.token, p.token]) {
      const res = await json(url, "/api/me", { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: u.userId, email: u.email, vault: null, usedBytes: 0, quota: expect.any(Number) });
      expect(res.body.quota).toBeGreaterThan(0);
    }
    // A stored blob counts.
    const bytes = randomBody(5000);
    const put = await json(url, `/api/blobs/${sha256(bytes)}`, {
      method: "PUT",
      token: u.token,
      rawBody: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(201);
    expect((await json(url, "/api/me", { token: u.token })).body.usedBytes).toBe(5000);
  });

  it("PUT /api/me/vault: 204 when unset or byte-equal, 409 with the stored vault when different", async () => {
    const u = await register(url);
    const vault = b64url(randomBody(200));
    expect((await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault } })).status).toBe(204);
    expect((await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault } })).status).toBe(204);
    const conflict = await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault: b64url(randomBody(200)) } });
    expectApiError(conflict, 409, "conflict");
    expect(conflict.body.vault).toBe(vault);
    expect((await json(url, "/api/me", { token: u.token })).body.vault).toBe(vault);
  });

  it("PUT /api/me/vault refuses a vault over 1 KiB, one that is not base64url, and a missing field", async () => {
    const u = await register(url);
    const big = await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault: b64url(randomBody(1025)) } });
    expect([400, 413]).toContain(big.status);
    expectApiError(big, big.status, big.status === 400 ? "bad_request" : "too_large");
    const notB64 = await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault: "not base64url!!" } });
    expectApiError(notB64, 400, "bad_request");
    const missing = await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: {} });
    expectApiError(missing, 400, "bad_request");
    expect(missing.body.error.message).toContain("vault");
    expect((await json(url, "/api/me", { token: u.token })).body.vault).toBeNull();
    // Exactly 1 KiB is fine.
    expect((await json(url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault: b64url(randomBody(1024)) } })).status).toBe(204);
  });

  it("DELETE /api/me needs the password, then the account is gone and the email is free again", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token);
    const wrong = await json(url, "/api/me", { method: "DELETE", token: u.token, body: { password: "not the password" } });
    expect([401, 403]).toContain(wrong.status);
    const missing = await json(url, "/api/me", { method: "DELETE", token: u.token, body: {} });
    expectApiError(missing, 400, "bad_request");
    expect(missing.body.error.message).toContain("password");
    expect((await json(url, "/api/me", { token: u.token })).status).toBe(200);

    expect((await json(url, "/api/me", { method: "DELETE", token: u.token, body: { password: u.password } })).status).toBe(204);
    expectApiError(await json(url, "/api/me", { token: u.token }), 401, "unauthorized");
    expectApiError(await json(url, "/api/me", { token: p.token }), 401, "unauthorized");
    expectApiError(await json(url, "/api/auth/login", { body: { email: u.email, password: u.password } }), 401, "unauthorized");
    const again = await register(url, u.email, "a new password");
    expect(again.userId).not.toBe(u.userId);
  });

  it("pairing tokens: create shows the token once; the list has no secrets; delete answers 204 then 404", async () => {
    const u = await register(url);
    const before = Date.now();
    const created = await json(url, "/api/pairing-tokens", { token: u.token, body: { label: "my laptop" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), token: expect.stringMatching(PAIRING), label: "my laptop", createdAt: expect.any(Number) });
    expect(created.body.createdAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(created.body.createdAt).toBeLessThanOrEqual(Date.now() + 5_000);

    const list = await json(url, "/api/pairing-tokens", { token: u.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ id: created.body.id, label: "my laptop", createdAt: created.body.createdAt, lastUsedAt: null, connected: false }]);
    expect(list.text).not.toContain(created.body.token);

    const del = await json(url, `/api/pairing-tokens/${created.body.id}`, { method: "DELETE", token: u.token });
    expect(del.status).toBe(204);
    expect((await json(url, "/api/pairing-tokens", { token: u.token })).body).toEqual([]);
    expectApiError(await json(url, `/api/pairing-tokens/${created.body.id}`, { method: "DELETE", token: u.token }), 404, "not_found");
    expectApiError(await json(url, "/api/me", { token: created.body.token }), 401, "unauthorized");
  });

  it("pairing tokens: the list shows connected and lastUsedAt once a plugin connects", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token, "plugin");
    const { client } = await openSynced(relay.wsUrl, p.token, 0, "plugin");
    const row = async () => ((await json(url, "/api/pairing-tokens", { token: u.token })).body as Array<Record<string, unknown>>)[0]!;
    await waitFor(async () => (await row())["connected"] === true, 2_000, "connected: true");
    expect(typeof (await row())["lastUsedAt"]).toBe("number");
    await client.close();
    await waitFor(async () => (await row())["connected"] === false, 2_000, "connected: false");
  });

  it("blobs: PUT answers 201 then 200; GET returns the bytes as private, immutable octet-stream", async () => {
    const u = await register(url);
    const p = await createPairingToken(url, u.token);
    const bytes = randomBody(5000);
    const hash = sha256(bytes);
    const put = await json(url, `/api/blobs/${hash}`, {
      method: "PUT",
      token: u.token,
      rawBody: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(201);
    const again = await json(url, `/api/blobs/${hash}`, {
      method: "PUT",
      token: p.token,
      rawBody: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(again.status).toBe(200);

    for (const token of [u.token, p.token]) {
      const res = await fetch(`${url}/api/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      const cc = res.headers.get("cache-control") ?? "";
      expect(cc).toContain("private");
      expect(cc).toContain("immutable");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
  });

  it("blobs: a body whose SHA-256 differs gets 400; unknown hashes 404; no token 401", async () => {
    const u = await register(url);
    const bytes = randomBody(100);
    const wrongHash = sha256(randomBody(100));
    expectApiError(await json(url, `/api/blobs/${wrongHash}`, { method: "PUT", token: u.token, rawBody: bytes }), 400, "bad_request");
    expectApiError(await json(url, `/api/blobs/${wrongHash}`, { token: u.token }), 404, "not_found");
    expectApiError(await json(url, `/api/blobs/${sha256(bytes)}`, { method: "PUT", rawBody: bytes }), 401, "unauthorized");
    expectApiError(await json(url, `/api/blobs/${sha256(bytes)}`), 401, "unauthorized");
  });

  it("blobs: a malformed hash is refused without touching the disk", async () => {
    const u = await register(url);
    for (const bad of ["abc", "../../relay.db", "%2e%2e%2f%2e%2e%2frelay.db", "G".repeat(64), "A".repeat(64)]) {
      const res = await json(url, `/api/blobs/${bad}`, { token: u.token });
      expect([400, 404]).toContain(res.status);
      expectNoInternals(res.text);
      expect(res.text).not.toContain("SQLite format");
    }
  });
});

describe("at rest", () => {
  it("the data directory is the relay's alone: directories 0700, the database and blob files 0600", async () => {
    const u = await register(url);
    const blob = randomBody(300);
    expect((await json(url, `/api/blobs/${sha256(blob)}`, { method: "PUT", token: u.token, rawBody: blob })).status).toBe(201);
    const modeOf = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    const walk = (d: string): [string, string][] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e): [string, string][] =>
        e.isDirectory() ? [[join(d, e.name), modeOf(join(d, e.name))], ...walk(join(d, e.name))] : [[join(d, e.name), modeOf(join(d, e.name))]],
      );
    const all: [string, string][] = [[relay.dataDir, modeOf(relay.dataDir)], ...walk(relay.dataDir)];
    expect(all.map(([p]) => p)).toContain(join(relay.dataDir, "relay.db"));
    for (const [p, mode] of all) expect(mode, p).toBe(statSync(p).isDirectory() ? "700" : "600");
  });
});

describe("logs", () => {
  it("no token or password ever appears in the relay's log (docs/protocol.md N15)", async () => {
    const u = await register(url);
    const l = await login(url, u.email, u.password);
    const p = await createPairingToken(url, u.token);
    await json(url, "/api/auth/login", { body: { email: u.email, password: "a wrong password" } });
    await json(url, "/api/me", { token: p.token + "x" });
    const { client } = await openSynced(relay.wsUrl, p.token, 0, "plugin");
    await client.close();
    const c = await openSynced(relay.wsUrl, l.token);
    await c.client.close();
    await json(url, "/api/auth/logout", { method: "POST", token: l.token });
    const logs = relay.logs.join("\n");
    for (const secret of [u.password, "a wrong password", u.token, l.token, p.token, p.token.slice(7, 30), u.token.slice(7, 30)]) {
      expect(logs).not.toContain(secret);
    }
  });
});
