import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode, INVITE_TTL_MS, INVITES_PER_USER, type CreateInviteResponse, type SessionInfo } from "@botschat/protocol";
import {
  createPairingToken,
  json,
  type JsonResponse,
  login,
  openSynced,
  register,
  type RelayProcess,
  startRelay,
  SyncClient,
  uniqueEmail,
} from "@botschat/relay-testkit";
import { expectApiError } from "./support.js";

let open: RelayProcess; // --registration open (the default)
let limited: RelayProcess; // --auth-rate 3 --trust-proxy
beforeAll(async () => {
  [open, limited] = await Promise.all([startRelay(), startRelay({ args: ["--auth-rate", "3", "--trust-proxy"] })]);
});
afterAll(async () => {
  await Promise.all([open.stop(), limited.stop()]);
});

const NEW_PASSWORD = "a brand new password";
const INVITE_CODE = /^bc_inv_[0-9A-Za-z]{43}$/;
const INVITE_INVALID = "This invite code is not valid: it may be used, revoked or expired.";

const changePassword = (url: string, token: string, password: string, newPassword: string, headers: Record<string, string> = {}) =>
  json(url, "/api/me/password", { method: "PUT", token, body: { password, newPassword }, headers });

function expect429(res: JsonResponse): void {
  expectApiError(res, 429, "rate_limited");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

/** Opens a sync socket with a token the relay no longer knows and expects it refused with 4401. */
async function expectSocketRefused(wsUrl: string, token: string): Promise<void> {
  const c = await SyncClient.connect(wsUrl);
  c.send({ t: "hello", token, since: 0 });
  expect((await c.waitClosed(2_000)).code).toBe(CloseCode.unauthorized);
}

describe("[N21] changing the password", () => {
  it("[N21] after a change only the new password signs in; other sessions are closed with 4401 and refused; this session and pairing tokens stay", async () => {
    const u = await register(open.url);
    const other = await login(open.url, u.email, u.password);
    const pairing = await createPairingToken(open.url, u.token);
    const here = await openSynced(open.wsUrl, u.token);
    const there = await openSynced(open.wsUrl, other.token);
    const plugin = await openSynced(open.wsUrl, pairing.token);

    const t0 = performance.now();
    expect((await changePassword(open.url, u.token, u.password, NEW_PASSWORD)).status).toBe(204);
    expect((await there.client.waitClosed(3_000)).code).toBe(CloseCode.unauthorized);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expectApiError(await json(open.url, "/api/me", { token: other.token }), 401, "unauthorized");
    await expectSocketRefused(open.wsUrl, other.token);

    await here.client.ping();
    await plugin.client.ping();
    expect((await json(open.url, "/api/me", { token: u.token })).status).toBe(200);
    expect((await json(open.url, "/api/me", { token: pairing.token })).status).toBe(200);

    expectApiError(await json(open.url, "/api/auth/login", { body: { email: u.email, password: u.password } }), 401, "unauthorized");
    expect((await login(open.url, u.email, NEW_PASSWORD)).userId).toBe(u.userId);
    await Promise.all([here.client.close(), plugin.client.close()]);
  });

  it("[N21] a wrong current password is 401 and changes nothing; a short new one is 400 naming the field; a pairing token is 403", async () => {
    const u = await register(open.url);
    const other = await login(open.url, u.email, u.password);
    const wrong = await changePassword(open.url, u.token, "not the password", NEW_PASSWORD);
    expectApiError(wrong, 401, "unauthorized");
    expect(wrong.body.error.message).toBe("The current password is wrong.");
    const short = await changePassword(open.url, u.token, u.password, "short");
    expectApiError(short, 400, "bad_request");
    expect(short.body.error.message).toContain('"newPassword"');
    expectApiError(await json(open.url, "/api/me/password", { method: "PUT", token: u.token, body: { password: u.password } }), 400, "bad_request");
    const pairing = await createPairingToken(open.url, u.token);
    expectApiError(await changePassword(open.url, pairing.token, u.password, NEW_PASSWORD), 403, "forbidden");
    // Nothing changed: the old password still signs in, the other session still works.
    expect((await login(open.url, u.email, u.password)).userId).toBe(u.userId);
    expect((await json(open.url, "/api/me", { token: other.token })).status).toBe(200);
  });

  it("[N21] [X5] [N19] password change attempts are limited like login: per address before the body is read, wrong ones per account", async () => {
    const from = (addr: string) => ({ "x-forwarded-for": addr });
    const u = await register(limited.url, uniqueEmail(), "the owner's password");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await changePassword(limited.url, u.token, `guess ${i}`, NEW_PASSWORD, from(`198.51.100.${i + 1}`))).status);
    expect(statuses).toEqual([401, 401, 401]);
    // The account's bucket is empty: a fourth wrong guess, from yet another address, is 429.
    expect429(await changePassword(limited.url, u.token, "guess 9", NEW_PASSWORD, from("198.51.100.99")));
    // The owner, with the right password, still gets through from an address of their own.
    expect((await changePassword(limited.url, u.token, "the owner's password", NEW_PASSWORD, from("203.0.113.7"))).status).toBe(204);

    // One address's three attempts are spent before the body is even read: a fourth that is not JSON is 429, not 400.
    for (let i = 0; i < 2; i++) await changePassword(limited.url, u.token, `guess ${i}`, "another new password", from("203.0.113.7"));
    expect429(
      await json(limited.url, "/api/me/password", {
        method: "PUT",
        token: u.token,
        rawBody: "{not json",
        headers: { ...from("203.0.113.7"), "content-type": "application/json" },
      }),
    );
  });
});

describe("[N21] signing out other sessions", () => {
  it("[N21] GET /api/sessions lists this account's sessions (no pairing tokens), one of them current", async () => {
    const u = await register(open.url, uniqueEmail(), "correct horse battery");
    await login(open.url, u.email, u.password);
    await login(open.url, u.email, u.password);
    await createPairingToken(open.url, u.token);
    const res = await json<SessionInfo[]>(open.url, "/api/sessions", { token: u.token });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    for (const s of res.body) {
      expect(s).toEqual({
        id: expect.stringMatching(/^d_/),
        label: expect.any(String),
        createdAt: expect.any(Number),
        lastUsedAt: s.current ? expect.any(Number) : null,
        current: s.current,
      });
    }
    expect(res.body.filter((s) => s.current)).toHaveLength(1);
    // Another user sees only their own.
    const bob = await register(open.url);
    expect((await json<SessionInfo[]>(open.url, "/api/sessions", { token: bob.token })).body).toHaveLength(1);
  });

  it("[N21] logout-others closes every other session's sockets with 4401 at once and refuses their tokens; this session and pairing tokens stay", async () => {
    const u = await register(open.url);
    const others = [await login(open.url, u.email, u.password), await login(open.url, u.email, u.password)];
    const pairing = await createPairingToken(open.url, u.token);
    const here = await openSynced(open.wsUrl, u.token);
    const there = await Promise.all(others.map((o) => openSynced(open.wsUrl, o.token)));
    const plugin = await openSynced(open.wsUrl, pairing.token);

    const t0 = performance.now();
    const res = await json(open.url, "/api/auth/logout-others", { method: "POST", token: u.token });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const closes = await Promise.all(there.map((t) => t.client.waitClosed(3_000)));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([CloseCode.unauthorized, CloseCode.unauthorized]);
    for (const o of others) {
      expectApiError(await json(open.url, "/api/me", { token: o.token }), 401, "unauthorized");
      await expectSocketRefused(open.wsUrl, o.token);
    }
    await here.client.ping();
    await plugin.client.ping();
    const sessions = await json<SessionInfo[]>(open.url, "/api/sessions", { token: u.token });
    expect(sessions.body.map((s) => s.current)).toEqual([true]);
    // The password did not change.
    expect((await login(open.url, u.email, u.password)).userId).toBe(u.userId);
    await Promise.all([here.client.close(), plugin.client.close()]);
  });

  it("[N21] DELETE /api/sessions/:id signs out that one session: its sockets close with 4401 at once; the others and pairing tokens stay", async () => {
    const u = await register(open.url);
    const [one, two] = [await login(open.url, u.email, u.password), await login(open.url, u.email, u.password)];
    const pairing = await createPairingToken(open.url, u.token);
    const there = await openSynced(open.wsUrl, one.token);
    const kept = await openSynced(open.wsUrl, two.token);
    const sessions = (await json<SessionInfo[]>(open.url, "/api/sessions", { token: one.token })).body;
    const target = sessions.find((s) => s.current)!.id;

    const t0 = performance.now();
    const res = await json(open.url, `/api/sessions/${target}`, { method: "DELETE", token: u.token });
    expect(res.status).toBe(204);
    expect((await there.client.waitClosed(3_000)).code).toBe(CloseCode.unauthorized);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expectApiError(await json(open.url, "/api/me", { token: one.token }), 401, "unauthorized");
    await expectSocketRefused(open.wsUrl, one.token);
    await kept.client.ping();
    expect((await json(open.url, "/api/me", { token: pairing.token })).status).toBe(200);
    expect((await json<SessionInfo[]>(open.url, "/api/sessions", { token: u.token })).body.map((s) => s.id)).not.toContain(target);
    // Gone already: not found.
    expectApiError(await json(open.url, `/api/sessions/${target}`, { method: "DELETE", token: u.token }), 404, "not_found");
    await kept.client.close();
  });

  it("[N21] [X6] DELETE /api/sessions/:id does not reach another user's session or a pairing token, and needs a session token", async () => {
    const u = await register(open.url);
    const bob = await register(open.url);
    const pairing = await createPairingToken(open.url, u.token);
    const bobSession = (await json<SessionInfo[]>(open.url, "/api/sessions", { token: bob.token })).body[0]!.id;
    expectApiError(await json(open.url, `/api/sessions/${bobSession}`, { method: "DELETE", token: u.token }), 404, "not_found");
    expectApiError(await json(open.url, `/api/sessions/${pairing.id}`, { method: "DELETE", token: u.token }), 404, "not_found");
    const mine = (await json<SessionInfo[]>(open.url, "/api/sessions", { token: u.token })).body[0]!.id;
    expectApiError(await json(open.url, `/api/sessions/${mine}`, { method: "DELETE", token: pairing.token }), 403, "forbidden");
    expect((await json(open.url, "/api/me", { token: bob.token })).status).toBe(200);
    expect((await json(open.url, "/api/me", { token: pairing.token })).status).toBe(200);
  });

  it("[N21] a pairing token can neither list sessions nor sign them out", async () => {
    const u = await register(open.url);
    const other = await login(open.url, u.email, u.password);
    const pairing = await createPairingToken(open.url, u.token);
    expectApiError(await json(open.url, "/api/sessions", { token: pairing.token }), 403, "forbidden");
    expectApiError(await json(open.url, "/api/auth/logout-others", { method: "POST", token: pairing.token }), 403, "forbidden");
    expect((await json(open.url, "/api/me", { token: other.token })).status).toBe(200);
  });
});

describe("[N22] registration modes", () => {
  const relays: RelayProcess[] = [];
  const relayWith = async (mode: string): Promise<RelayProcess> => {
    const r = await startRelay({ args: ["--registration", mode] });
    relays.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
  });
  const signUp = (url: string, email: string, invite?: string) =>
    json(url, "/api/auth/register", { body: { email, password: "long enough password", ...(invite === undefined ? {} : { invite }) } });
  const health = async (url: string) => (await json(url, "/api/health")).body.registration as string;
  const createInvite = async (url: string, token: string, label?: string): Promise<CreateInviteResponse> => {
    const r = await json<CreateInviteResponse>(url, "/api/invites", { token, body: label === undefined ? {} : { label } });
    if (r.status !== 201) throw new Error(`create invite: HTTP ${r.status} ${r.text}`);
    return r.body;
  };

  it("[N22] open: anyone registers, and an invite field is ignored", async () => {
    expect(await health(open.url)).toBe("open");
    expect((await signUp(open.url, uniqueEmail(), "anything at all")).status).toBe(201);
    expectApiError(await json(open.url, "/api/invites", { token: (await register(open.url)).token, body: {} }), 403, "forbidden");
  });

  it("[N22] closed: the first account registers, then nobody; signing in still works", async () => {
    const closed = await relayWith("closed");
    expect(await health(closed.url)).toBe("open");
    const owner = await signUp(closed.url, "owner@example.test");
    expect(owner.status).toBe(201);
    expect(await health(closed.url)).toBe("closed");
    for (const email of [uniqueEmail(), "owner@example.test"]) {
      const refused = await signUp(closed.url, email);
      expectApiError(refused, 403, "forbidden");
      expect(refused.body.error.message).toBe("Registration is closed on this relay.");
    }
    expect((await login(closed.url, "owner@example.test", "long enough password")).userId).toBe(owner.body.userId);
    expectApiError(await json(closed.url, "/api/invites", { token: owner.body.token, body: {} }), 403, "forbidden");
  });

  it("[N22] closed: of two first registrations at once, exactly one gets in", async () => {
    const closed = await relayWith("closed");
    const answers = await Promise.all([signUp(closed.url, uniqueEmail("a")), signUp(closed.url, uniqueEmail("b"))]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403]);
  });

  it("[N22] invite: the first account needs none; then a code made by a user admits one account, once, and the code is shown once", async () => {
    const relay = await relayWith("invite");
    expect(await health(relay.url)).toBe("open");
    const owner = await register(relay.url);
    expect(await health(relay.url)).toBe("invite");

    const needed = await signUp(relay.url, uniqueEmail());
    expectApiError(needed, 403, "forbidden");
    expect(needed.body.error.message).toBe("Registration on this relay needs an invite code.");
    for (const bad of ["bc_inv_nope", "bc_inv_" + "A".repeat(43), "not a code"]) {
      const refused = await signUp(relay.url, uniqueEmail(), bad);
      expectApiError(refused, 403, "forbidden");
      expect(refused.body.error.message).toBe(INVITE_INVALID);
    }
    expectApiError(await signUp(relay.url, uniqueEmail(), 42 as unknown as string), 400, "bad_request");

    const invite = await createInvite(relay.url, owner.token, " for Ann ");
    expect(invite).toEqual({
      id: expect.stringMatching(/^i_[0-9A-Za-z]{22}$/),
      code: expect.stringMatching(INVITE_CODE),
      label: "for Ann",
      createdAt: expect.any(Number),
      expiresAt: invite.createdAt + INVITE_TTL_MS,
    });
    const listed = await json(relay.url, "/api/invites", { token: owner.token });
    expect(listed.body).toEqual([{ id: invite.id, label: "for Ann", createdAt: invite.createdAt, expiresAt: invite.expiresAt }]);
    expect(listed.text).not.toContain(invite.code);

    // Pasted with spaces around it, as codes often are.
    const ann = await signUp(relay.url, uniqueEmail("ann"), ` ${invite.code}\n`);
    expect(ann.status).toBe(201);
    expect((await json(relay.url, "/api/me", { token: ann.body.token })).status).toBe(200);
    expect((await json(relay.url, "/api/invites", { token: owner.token })).body).toEqual([]);
    const again = await signUp(relay.url, uniqueEmail(), invite.code);
    expectApiError(again, 403, "forbidden");
    expect(again.body.error.message).toBe(INVITE_INVALID);
    // The invited account can invite in turn.
    expect((await createInvite(relay.url, ann.body.token)).label).toBe("");
  });

  it("[N22] an invite is not used up by a sign-up refused for a taken email", async () => {
    const relay = await relayWith("invite");
    const owner = await register(relay.url);
    const invite = await createInvite(relay.url, owner.token);
    expectApiError(await signUp(relay.url, owner.email, invite.code), 409, "conflict");
    expect((await signUp(relay.url, uniqueEmail(), invite.code)).status).toBe(201);
  });

  it("[N22] of two sign-ups at once with one invite, exactly one gets in", async () => {
    const relay = await relayWith("invite");
    const owner = await register(relay.url);
    const invite = await createInvite(relay.url, owner.token);
    const answers = await Promise.all([signUp(relay.url, uniqueEmail("a"), invite.code), signUp(relay.url, uniqueEmail("b"), invite.code)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403]);
  });

  it("[N22] a revoked or expired invite admits nobody, with the same answer as a used one; another user's invite is not found", async () => {
    const relay = await relayWith("invite");
    const owner = await register(relay.url);
    const bob = await signUp(relay.url, uniqueEmail("bob"), (await createInvite(relay.url, owner.token)).code);
    const revoked = await createInvite(relay.url, owner.token, "revoked");
    const expired = await createInvite(relay.url, owner.token, "expired");

    expectApiError(await json(relay.url, `/api/invites/${revoked.id}`, { method: "DELETE", token: bob.body.token }), 404, "not_found");
    // An agent's pairing token manages no invites, not even its owner's.
    const agent = await createPairingToken(relay.url, owner.token);
    expectApiError(await json(relay.url, `/api/invites/${revoked.id}`, { method: "DELETE", token: agent.token }), 403, "forbidden");
    expectApiError(await json(relay.url, "/api/invites", { token: agent.token, body: {} }), 403, "forbidden");
    expect((await json(relay.url, `/api/invites/${revoked.id}`, { method: "DELETE", token: owner.token })).status).toBe(204);
    expectApiError(await json(relay.url, `/api/invites/${revoked.id}`, { method: "DELETE", token: owner.token }), 404, "not_found");

    // A week passes for this invite: its expiry is moved to the past in the relay's database.
    const db = new Database(join(relay.dataDir, "relay.db"));
    try {
      db.pragma("busy_timeout = 5000");
      expect(db.prepare("UPDATE invites SET expires_at = ? WHERE id = ?").run(Date.now() - 1, expired.id).changes).toBe(1);
    } finally {
      db.close();
    }
    expect((await json(relay.url, "/api/invites", { token: owner.token })).body).toEqual([]);
    for (const code of [revoked.code, expired.code]) {
      const refused = await signUp(relay.url, uniqueEmail(), code);
      expectApiError(refused, 403, "forbidden");
      expect(refused.body.error.message).toBe(INVITE_INVALID);
    }
  });

  it(`[N22] a user may have ${INVITES_PER_USER} invites outstanding; one more is refused until one is revoked`, async () => {
    const relay = await relayWith("invite");
    const owner = await register(relay.url);
    const made = [];
    for (let i = 0; i < INVITES_PER_USER; i++) made.push(await createInvite(relay.url, owner.token, `invite ${i}`));
    expectApiError(await json(relay.url, "/api/invites", { token: owner.token, body: {} }), 409, "conflict");
    expect((await json(relay.url, `/api/invites/${made[0]!.id}`, { method: "DELETE", token: owner.token })).status).toBe(204);
    expect((await json(relay.url, "/api/invites", { token: owner.token, body: { label: "one more" } })).status).toBe(201);
    expect((await json(relay.url, "/api/invites", { token: owner.token })).body).toHaveLength(INVITES_PER_USER);
  });

  it("[N22] invites need a session token, are stored as hashes only, and go with their account", async () => {
    const relay = await relayWith("invite");
    const owner = await register(relay.url);
    const bob = await signUp(relay.url, uniqueEmail("bob"), (await createInvite(relay.url, owner.token)).code);
    const pairing = await createPairingToken(relay.url, owner.token);
    expectApiError(await json(relay.url, "/api/invites", { token: pairing.token, body: {} }), 403, "forbidden");
    expectApiError(await json(relay.url, "/api/invites", { token: pairing.token }), 403, "forbidden");
    expectApiError(await json(relay.url, "/api/invites", { body: {} }), 401, "unauthorized");
    const invite = await createInvite(relay.url, owner.token);

    const stored = readdirSync(relay.dataDir)
      .filter((f) => f.startsWith("relay.db"))
      .map((f) => readFileSync(join(relay.dataDir, f)).toString("latin1"))
      .join("");
    expect(stored).not.toContain(invite.code.slice(7));

    expect((await json(relay.url, "/api/me", { method: "DELETE", token: owner.token, body: { password: owner.password } })).status).toBe(204);
    expectApiError(await signUp(relay.url, uniqueEmail(), invite.code), 403, "forbidden");
    expect(await health(relay.url)).toBe("invite");
    // With no account left, the relay is open for a first one again.
    expect((await json(relay.url, "/api/me", { method: "DELETE", token: bob.body.token, body: { password: "long enough password" } })).status).toBe(204);
    expect(await health(relay.url)).toBe("open");
    expect((await signUp(relay.url, uniqueEmail())).status).toBe(201);
  });
});
