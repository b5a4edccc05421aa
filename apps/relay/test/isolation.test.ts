import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryFrame, PeersFrame } from "@botschat/protocol";
import {
  createPairingToken,
  json,
  newAppendId,
  openSynced,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  startRelay,
  type SyncClient,
  type TestUser,
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
const isEntry = (f: { t: string }) => f.t === "entry";

interface Side {
  user: TestUser;
  pairing: { id: string; token: string };
  browser: SyncClient;
  plugin: SyncClient;
  devices: string[];
}

async function side(): Promise<Side> {
  const user = await register(relay.url);
  const pairing = await createPairingToken(relay.url, user.token, "plugin");
  const b = await openSynced(relay.wsUrl, user.token, 0, "browser");
  const p = await openSynced(relay.wsUrl, pairing.token, 0, "plugin");
  return { user, pairing, browser: b.client, plugin: p.client, devices: [b.welcome.device, p.welcome.device] };
}

describe("[A4][X6] users are isolated", () => {
  let alice: Side;
  let bob: Side;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([side(), side()]);
  });
  afterAll(async () => {
    await Promise.all([alice, bob].flatMap((s) => [s.browser.close(), s.plugin.close()]));
  });

  it("[A4] one user's entries, eph frames and peers never reach another user's sockets", async () => {
    const shared = randomStream(); // both users happen to use the same stream id
    const aliceSeq = await alice.browser.appendAck({ id: "same-id", stream: shared, body: randomBody() });
    alice.browser.send({ t: "eph", stream: shared, body: randomBody() });
    expect((await alice.plugin.next<EntryFrame>(isEntry)).seq).toBe(aliceSeq);
    await alice.plugin.next((f) => f.t === "eph");

    // Bob's own traffic, as a barrier: by the time his plugin has it, Alice's would have arrived.
    const bobSeq = await bob.browser.appendAck({ id: "same-id", stream: shared, body: randomBody() });
    bob.browser.send({ t: "eph", stream: shared, body: randomBody() });
    expect((await bob.plugin.next<EntryFrame>(isEntry)).seq).toBe(bobSeq);
    await bob.plugin.next((f) => f.t === "eph");
    for (const s of [bob.browser, bob.plugin]) {
      expect(s.received.filter(isEntry)).toHaveLength(s === bob.plugin ? 1 : 0);
      expect(s.received.filter((f) => f.t === "eph")).toHaveLength(s === bob.plugin ? 1 : 0);
      for (const f of s.received) {
        if (f.t === "peers") for (const p of (f as PeersFrame).peers) expect(bob.devices).toContain(p.device);
      }
    }
    for (const s of [alice.browser, alice.plugin]) {
      for (const f of s.received) {
        if (f.t === "peers") for (const p of (f as PeersFrame).peers) expect(alice.devices).toContain(p.device);
      }
    }
  });

  it("[A4] a user's backlog holds only their own entries, whatever since they ask for", async () => {
    const stream = randomStream();
    const mine = await bob.browser.appendAck({ id: newAppendId(), stream, body: randomBody() });
    for (let i = 0; i < 3; i++) await alice.browser.appendAck({ id: newAppendId(), stream, body: randomBody() });
    const bobAll = await openSynced(relay.wsUrl, bob.user.token, 0);
    expect(bobAll.entries.length).toBeGreaterThan(0);
    expect(bobAll.entries.map((e) => e.seq)).toContain(mine);
    const bobAgain = await openSynced(relay.wsUrl, bob.user.token, 0);
    expect(bobAgain.entries).toEqual(bobAll.entries);
    const aliceAll = await openSynced(relay.wsUrl, alice.user.token, 0);
    const bobBodies = new Set(bobAll.entries.map((e) => Buffer.from(e.body).toString("hex")));
    for (const e of aliceAll.entries) expect(bobBodies.has(Buffer.from(e.body).toString("hex"))).toBe(false);
    await Promise.all([bobAll.client.close(), bobAgain.client.close(), aliceAll.client.close()]);
  });

  it("[A3][A4] the same append id from two users stores two entries", async () => {
    const id = newAppendId("shared");
    const stream = randomStream();
    await alice.browser.appendAck({ id, stream, body: randomBody() });
    const bobSeq = await bob.browser.appendAck({ id, stream, body: randomBody() });
    expect((await bob.plugin.next<EntryFrame>((f) => f.t === "entry" && (f as EntryFrame).seq === bobSeq)).seq).toBe(bobSeq);
  });

  it("[A4] one user's snapshot never compacts another user's stream of the same id", async () => {
    const stream = randomStream();
    const aliceSeqs = [];
    for (let i = 0; i < 3; i++) aliceSeqs.push(await alice.browser.appendAck({ id: newAppendId(), stream, body: randomBody() }));
    const bobHead = await bob.browser.appendAck({ id: newAppendId(), stream, body: randomBody() });
    await bob.browser.appendAck({ id: newAppendId(), stream, kind: "snapshot", body: randomBody(), covers: bobHead });
    const check = await openSynced(relay.wsUrl, alice.user.token, aliceSeqs[0]! - 1);
    for (const s of aliceSeqs) expect(check.entries.map((e) => e.seq)).toContain(s);
    await check.client.close();
  });

  it("[X6] blobs: another user can neither read, list, overwrite nor replace a blob by its hash", async () => {
    const secret = randomBody(1000);
    const hash = sha256(secret);
    expect((await json(relay.url, `/api/blobs/${hash}`, { method: "PUT", token: alice.user.token, rawBody: secret })).status).toBe(201);
    for (const token of [bob.user.token, bob.pairing.token]) {
      expectApiError(await json(relay.url, `/api/blobs/${hash}`, { token }), 404, "not_found");
    }
    // Bob cannot put other bytes under Alice's hash.
    expectApiError(await json(relay.url, `/api/blobs/${hash}`, { method: "PUT", token: bob.user.token, rawBody: randomBody(1000) }), 400, "bad_request");
    // Bob uploading the same bytes gets his own copy (201: not already stored for him), and learns nothing.
    expect((await json(relay.url, `/api/blobs/${hash}`, { method: "PUT", token: bob.user.token, rawBody: secret })).status).toBe(201);
    const res = await fetch(`${relay.url}/api/blobs/${hash}`, { headers: { authorization: `Bearer ${alice.user.token}` } });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(secret);
    // A blob only Bob stored is invisible to Alice.
    const bobs = randomBody(10);
    expect((await json(relay.url, `/api/blobs/${sha256(bobs)}`, { method: "PUT", token: bob.pairing.token, rawBody: bobs })).status).toBe(201);
    expectApiError(await json(relay.url, `/api/blobs/${sha256(bobs)}`, { token: alice.user.token }), 404, "not_found");
  });

  it("[X6] pairing tokens: another user can neither list nor delete them by id", async () => {
    const bobList = await json(relay.url, "/api/pairing-tokens", { token: bob.user.token });
    expect(bobList.body.map((t: { id: string }) => t.id)).toEqual([bob.pairing.id]);
    expectApiError(await json(relay.url, `/api/pairing-tokens/${alice.pairing.id}`, { method: "DELETE", token: bob.user.token }), 404, "not_found");
    for (const guess of ["d_" + "0".repeat(22), alice.user.userId, "1", "%2e%2e"]) {
      const res = await json(relay.url, `/api/pairing-tokens/${guess}`, { method: "DELETE", token: bob.user.token });
      expect([400, 404]).toContain(res.status);
    }
    const aliceList = await json(relay.url, "/api/pairing-tokens", { token: alice.user.token });
    expect(aliceList.body.map((t: { id: string }) => t.id)).toEqual([alice.pairing.id]);
    await alice.plugin.ping();
    expect(alice.plugin.isOpen).toBe(true);
  });

  it("[X6] vault: each user reads and writes only their own", async () => {
    const aliceVault = Buffer.from(randomBody(64)).toString("base64url");
    const bobVault = Buffer.from(randomBody(64)).toString("base64url");
    expect((await json(relay.url, "/api/me/vault", { method: "PUT", token: alice.user.token, body: { vault: aliceVault } })).status).toBe(204);
    expect((await json(relay.url, "/api/me/vault", { method: "PUT", token: bob.user.token, body: { vault: bobVault } })).status).toBe(204);
    expect((await json(relay.url, "/api/me", { token: alice.user.token })).body).toMatchObject({ userId: alice.user.userId, vault: aliceVault });
    expect((await json(relay.url, "/api/me", { token: bob.pairing.token })).body).toMatchObject({ userId: bob.user.userId, vault: bobVault });
    const w = await openSynced(relay.wsUrl, bob.user.token, 0);
    expect(Buffer.from(w.welcome.vault!).toString("base64url")).toBe(bobVault);
    await w.client.close();
  });

  it("[X6] deleting one account leaves another's data and sockets alone", async () => {
    const carol = await side();
    const aliceBlob = randomBody(50);
    expect((await json(relay.url, `/api/blobs/${sha256(aliceBlob)}`, { method: "PUT", token: alice.user.token, rawBody: aliceBlob })).status).toBe(201);
    // Carol stores the same blob, then deletes her account.
    expect((await json(relay.url, `/api/blobs/${sha256(aliceBlob)}`, { method: "PUT", token: carol.user.token, rawBody: aliceBlob })).status).toBe(201);
    const before = await openSynced(relay.wsUrl, alice.user.token, 0);
    expect((await json(relay.url, "/api/me", { method: "DELETE", token: carol.user.token, body: { password: carol.user.password } })).status).toBe(204);
    await carol.browser.waitClosed(2_000);
    const after = await openSynced(relay.wsUrl, alice.user.token, 0);
    expect(after.entries).toEqual(before.entries);
    expect((await json(relay.url, `/api/blobs/${sha256(aliceBlob)}`, { token: alice.user.token })).status).toBe(200);
    await alice.browser.ping();
    await alice.plugin.ping();
    await Promise.all([before.client.close(), after.client.close()]);
  });
});
