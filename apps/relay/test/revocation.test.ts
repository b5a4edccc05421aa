import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode } from "@botschat/protocol";
import {
  createPairingToken,
  json,
  login,
  newAppendId,
  openSynced,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  startRelay,
  SyncClient,
} from "@botschat/relay-testkit";
import { expectApiError } from "./support.js";

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  await relay.stop();
});

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Start the clock, run `act`, and return how long until `client` closed, with the close. */
async function closesWithin(client: SyncClient, act: () => Promise<unknown>): Promise<{ code: number; ms: number }> {
  const t0 = performance.now();
  await act();
  const close = await client.waitClosed(3_000);
  return { code: close.code, ms: performance.now() - t0 };
}

describe("revocation", () => {
  it("[H1] deleting a pairing token closes its socket with 4401 within one second; other sockets stay", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token, "to revoke");
    const keep = await createPairingToken(relay.url, u.token, "to keep");
    const browser = await openSynced(relay.wsUrl, u.token);
    const plugin = await openSynced(relay.wsUrl, p.token);
    const other = await openSynced(relay.wsUrl, keep.token);
    const r = await closesWithin(plugin.client, async () => {
      expect((await json(relay.url, `/api/pairing-tokens/${p.id}`, { method: "DELETE", token: u.token })).status).toBe(204);
    });
    expect(r.code).toBe(CloseCode.unauthorized);
    expect(r.ms).toBeLessThan(1_000);
    await browser.client.ping();
    await other.client.ping();
    // The others are told the revoked plugin is gone.
    await browser.client.next((f) => f.t === "peers" && !f.peers.some((x) => x.device === plugin.welcome.device));
    // It cannot come back.
    const retry = await SyncClient.connect(relay.wsUrl);
    retry.send({ t: "hello", token: p.token, since: 0 });
    expect((await retry.waitClosed(2_000)).code).toBe(CloseCode.unauthorized);
    await Promise.all([browser.client.close(), other.client.close()]);
  });

  it("[H1] logout closes every socket opened with that session token with 4401 within one second; other sessions stay", async () => {
    const u = await register(relay.url);
    const second = await login(relay.url, u.email, u.password);
    const p = await createPairingToken(relay.url, u.token);
    const tab1 = await openSynced(relay.wsUrl, u.token);
    const tab2 = await openSynced(relay.wsUrl, u.token);
    const otherSession = await openSynced(relay.wsUrl, second.token);
    const plugin = await openSynced(relay.wsUrl, p.token);
    const t0 = performance.now();
    expect((await json(relay.url, "/api/auth/logout", { method: "POST", token: u.token })).status).toBe(204);
    const closes = await Promise.all([tab1.client.waitClosed(3_000), tab2.client.waitClosed(3_000)]);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([CloseCode.unauthorized, CloseCode.unauthorized]);
    await otherSession.client.ping();
    await plugin.client.ping();
    // Pairing tokens made by the logged-out session keep working.
    expect((await json(relay.url, "/api/me", { token: p.token })).status).toBe(200);
    await Promise.all([otherSession.client.close(), plugin.client.close()]);
  });

  it("[H1] DELETE /api/me closes every socket of the user and removes the log, blobs and tokens", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const browser = await openSynced(relay.wsUrl, u.token);
    const plugin = await openSynced(relay.wsUrl, p.token);
    for (let i = 0; i < 3; i++) await browser.client.appendAck({ id: newAppendId(), stream: randomStream(), body: randomBody() });
    const blob = randomBody(100);
    expect((await json(relay.url, `/api/blobs/${sha256(blob)}`, { method: "PUT", token: u.token, rawBody: blob })).status).toBe(201);
    const blobDir = join(relay.dataDir, "blobs", u.userId);
    expect(existsSync(join(blobDir, sha256(blob)))).toBe(true);

    const t0 = performance.now();
    expect((await json(relay.url, "/api/me", { method: "DELETE", token: u.token, body: { password: u.password } })).status).toBe(204);
    const closes = await Promise.all([browser.client.waitClosed(3_000), plugin.client.waitClosed(3_000)]);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([CloseCode.unauthorized, CloseCode.unauthorized]);

    for (const token of [u.token, p.token]) {
      expectApiError(await json(relay.url, "/api/me", { token }), 401, "unauthorized");
      const c = await SyncClient.connect(relay.wsUrl);
      c.send({ t: "hello", token, since: 0 });
      expect((await c.waitClosed(2_000)).code).toBe(CloseCode.unauthorized);
    }
    expect(existsSync(blobDir) && existsSync(join(blobDir, sha256(blob)))).toBe(false);
    // A new account with the same email starts empty.
    const again = await register(relay.url, u.email, u.password);
    const fresh = await openSynced(relay.wsUrl, again.token);
    expect(fresh.entries).toEqual([]);
    expect(fresh.welcome.vault).toBeNull();
    expect((await json(relay.url, `/api/blobs/${sha256(blob)}`, { token: again.token })).status).toBe(404);
    expect((await json(relay.url, "/api/pairing-tokens", { token: again.token })).body).toEqual([]);
    await fresh.client.close();
  });
});
