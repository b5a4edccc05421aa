import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode, encodeCbor, type PeersFrame } from "@botschat/protocol";
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
import { waitFor } from "./support.js";

let relay: RelayProcess;
let quick: RelayProcess; // --hello-timeout 300
beforeAll(async () => {
  [relay, quick] = await Promise.all([startRelay(), startRelay({ args: ["--hello-timeout", "300"] })]);
});
afterAll(async () => {
  await Promise.all([relay.stop(), quick.stop()]);
});

const DEVICE = /^d_[0-9A-Za-z]{16,}$/;

/** Wait for a peers frame whose device set is exactly `devices`. */
const peersWith = (c: SyncClient, devices: string[], timeoutMs = 3_000) =>
  c.next<PeersFrame>((f) => f.t === "peers" && [...f.peers.map((p) => p.device)].sort().join() === [...devices].sort().join(), timeoutMs);

describe("[H1] hello", () => {
  it("[H1] welcome carries the userId, head 0 for a new user, a null vault and this token's device id", async () => {
    const u = await register(relay.url);
    const c = await SyncClient.connect(relay.wsUrl);
    const w = await c.hello(u.token, 0, "tab");
    expect(w).toMatchObject({ t: "welcome", userId: u.userId, head: 0, vault: null });
    expect(w.device).toMatch(DEVICE);
    const { entries, synced } = await c.collectUntilSynced();
    expect(entries).toEqual([]);
    expect(synced.head).toBe(0);
    expect(c.violations).toEqual([]);
    await c.close();
  });

  it("[H1] welcome carries the vault bytes once set, and a pairing socket's device is its token id", async () => {
    const u = await register(relay.url);
    const vault = randomBody(100);
    expect((await json(relay.url, "/api/me/vault", { method: "PUT", token: u.token, body: { vault: Buffer.from(vault).toString("base64url") } })).status).toBe(
      204,
    );
    const p = await createPairingToken(relay.url, u.token, "plugin");
    const c = await SyncClient.connect(relay.wsUrl);
    const w = await c.hello(p.token, 0);
    expect(w.userId).toBe(u.userId);
    expect(w.vault).toEqual(vault);
    expect(w.device).toBe(p.id);
    await c.close();
  });

  it("[H1] two logins of the same user are two devices", async () => {
    const u = await register(relay.url);
    const second = await login(relay.url, u.email, u.password);
    const a = await openSynced(relay.wsUrl, u.token);
    const b = await openSynced(relay.wsUrl, second.token);
    expect(a.welcome.device).not.toBe(b.welcome.device);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it.each([
    ["ping", () => encodeCbor({ t: "ping" })],
    ["append", () => encodeCbor({ t: "append", id: "x", stream: randomStream(), kind: "update", body: randomBody() })],
    ["eph", () => encodeCbor({ t: "eph", stream: randomStream(), body: randomBody() })],
    ["garbage", () => new Uint8Array([0xff, 0x00, 0x13])],
  ])("[H1] a %s frame before hello closes the socket with 4400", async (_name, frame) => {
    const c = await SyncClient.connect(relay.wsUrl);
    c.sendRaw(frame());
    expect((await c.waitClosed(2_000)).code).toBe(CloseCode.badFrame);
  });

  it("[H1] no hello within the hello timeout closes the socket with 4408", async () => {
    const t0 = Date.now();
    const c = await SyncClient.connect(quick.wsUrl);
    const close = await c.waitClosed(3_000);
    expect(close.code).toBe(CloseCode.helloTimeout);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it("[H1] a socket that says hello in time is not closed by the hello timer", async () => {
    const u = await register(quick.url);
    const { client } = await openSynced(quick.wsUrl, u.token);
    // Stay connected well past the 300 ms hello timeout, proving liveness with pings.
    const until = Date.now() + 700;
    while (Date.now() < until) await client.ping();
    expect(client.isOpen).toBe(true);
    await client.close();
  });

  it("[H1] bad, unknown, logged-out and revoked tokens are closed with 4401", async () => {
    const u = await register(relay.url);
    const loggedOut = await login(relay.url, u.email, u.password);
    expect((await json(relay.url, "/api/auth/logout", { method: "POST", token: loggedOut.token })).status).toBe(204);
    const revoked = await createPairingToken(relay.url, u.token);
    expect((await json(relay.url, `/api/pairing-tokens/${revoked.id}`, { method: "DELETE", token: u.token })).status).toBe(204);
    const bad = ["nonsense", "", "bc_ses_" + "a".repeat(43), "bc_pat_" + "a".repeat(43), u.token + "x", u.token.slice(0, -1), loggedOut.token, revoked.token];
    for (const token of bad) {
      const c = await SyncClient.connect(relay.wsUrl);
      c.send({ t: "hello", token, since: 0 });
      const close = await c.waitClosed(2_000);
      expect(close.code, `token ${JSON.stringify(token.slice(0, 12))}`).toBe(CloseCode.unauthorized);
      expect(c.received.filter((f) => f.t === "welcome")).toEqual([]);
    }
  });
});

describe("[H2] kinds of peers", () => {
  it("[H2] a peer without a hello label is listed with its pairing token's label (docs/protocol.md N9)", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token, "kitchen server");
    const browser = await openSynced(relay.wsUrl, u.token, 0, "tab");
    const plugin = await openSynced(relay.wsUrl, p.token);
    const frame = await peersWith(browser.client, [browser.welcome.device, plugin.welcome.device]);
    expect(frame.peers.find((x) => x.device === p.id)).toMatchObject({ kind: "plugin", label: "kitchen server" });
    expect(frame.peers.find((x) => x.device === browser.welcome.device)).toMatchObject({ kind: "browser", label: "tab" });
    await Promise.all([browser.client.close(), plugin.client.close()]);
  });

  it("[H2] a second socket on the same pairing token closes the first with 4409 and takes over", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const browser = await openSynced(relay.wsUrl, u.token, 0, "tab");
    const first = await openSynced(relay.wsUrl, p.token, 0, "plugin");
    const second = await openSynced(relay.wsUrl, p.token, 0, "plugin");
    expect((await first.client.waitClosed(2_000)).code).toBe(CloseCode.replaced);
    // Once the replaced socket is gone, the device is listed once, not once per socket.
    const expected = [browser.welcome.device, p.id].sort().join();
    const lastPeers = () => browser.client.received.filter((f): f is PeersFrame => f.t === "peers").at(-1);
    await waitFor(
      () =>
        lastPeers()
          ?.peers.map((x) => x.device)
          .sort()
          .join() === expected,
      2_000,
      `peers ${expected}`,
    );
    await browser.client.close();
    await second.client.ping();
    const seq = await second.client.appendAck({ id: newAppendId(), stream: randomStream(), body: randomBody() });
    expect(seq).toBeGreaterThan(0);
    await second.client.close();
  });

  it("[H2] two sockets on the same session token (two tabs) both stay open", async () => {
    const u = await register(relay.url);
    const a = await openSynced(relay.wsUrl, u.token, 0, "tab 1");
    const b = await openSynced(relay.wsUrl, u.token, 0, "tab 2");
    await a.client.ping();
    await b.client.ping();
    expect(a.client.isOpen && b.client.isOpen).toBe(true);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it("[H2] peers lists the session socket as browser and the pairing socket as plugin, after synced and on every change", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token, "agent box");
    const before = Date.now();
    const browser = await openSynced(relay.wsUrl, u.token, 0, "Firefox");
    const alone = await peersWith(browser.client, [browser.welcome.device]);
    expect(alone.peers).toEqual([{ device: browser.welcome.device, kind: "browser", label: expect.any(String), since: expect.any(Number) }]);
    expect(alone.peers[0]!.since).toBeGreaterThanOrEqual(before - 5_000);
    expect(alone.peers[0]!.since).toBeLessThanOrEqual(Date.now() + 5_000);
    // The first peers frame comes after synced.
    const syncedAt = browser.client.received.findIndex((f) => f.t === "synced");
    const peersAt = browser.client.received.findIndex((f) => f.t === "peers");
    expect(peersAt).toBeGreaterThan(syncedAt);

    const plugin = await openSynced(relay.wsUrl, p.token, 0, "agent box");
    const both = [browser.welcome.device, plugin.welcome.device];
    const seenByBrowser = await peersWith(browser.client, both);
    const seenByPlugin = await peersWith(plugin.client, both);
    for (const frame of [seenByBrowser, seenByPlugin]) {
      const kinds = Object.fromEntries(frame.peers.map((x) => [x.device, x.kind]));
      expect(kinds).toEqual({ [browser.welcome.device]: "browser", [plugin.welcome.device]: "plugin" });
    }
    expect(seenByPlugin.peers.find((x) => x.device === browser.welcome.device)?.label).toBe("Firefox");

    await plugin.client.close();
    await peersWith(browser.client, [browser.welcome.device]);
    await browser.client.close();
  });
});
