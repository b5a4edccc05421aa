import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode, encodeCbor, type ErrorFrame } from "@botschat/protocol";
import { json, newAppendId, openSynced, randomBody, randomStream, register, type RelayProcess, startRelay, uniqueEmail } from "@botschat/relay-testkit";
import { expectApiError } from "./support.js";

let relay: RelayProcess; // small limits
let auth: RelayProcess; // --auth-rate 3
let proxied: RelayProcess; // --auth-rate 3 --trust-proxy
beforeAll(async () => {
  [relay, auth, proxied] = await Promise.all([
    startRelay({
      args: [
        "--frame-limit",
        "1024",
        "--append-rate",
        "5",
        "--append-burst",
        "5",
        "--eph-rate",
        "5",
        "--eph-burst",
        "5",
        "--quota",
        "4096",
        "--blob-limit",
        "2048",
      ],
    }),
    startRelay({ args: ["--auth-rate", "3"] }),
    startRelay({ args: ["--auth-rate", "3", "--trust-proxy"] }),
  ]);
});
afterAll(async () => {
  await Promise.all([relay.stop(), auth.stop(), proxied.stop()]);
});

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const isError = (f: { t: string }) => f.t === "error";

async function synced() {
  const u = await register(relay.url);
  const { client } = await openSynced(relay.wsUrl, u.token);
  return { u, client };
}

describe("3.3 frame errors", () => {
  it.each([
    ["not CBOR", () => new Uint8Array([0xff, 0xfe, 0x00, 0x1c])],
    ["not a map", () => encodeCbor([1, 2, 3])],
    ["an unknown t", () => encodeCbor({ t: "shout", loud: true })],
    ["no t", () => encodeCbor({ id: "x" })],
    ["a missing field", () => encodeCbor({ t: "eph", stream: randomStream() })],
    ["a mistyped field", () => encodeCbor({ t: "eph", stream: "not bytes", body: randomBody() })],
  ])("[E1] a frame with %s gets bad_frame and the socket stays open", async (_what, frame) => {
    const { client } = await synced();
    client.sendRaw(frame());
    expect(await client.next<ErrorFrame>(isError)).toMatchObject({ t: "error", code: "bad_frame" });
    await client.ping();
    await client.close();
  });

  it("[E1] a text message gets bad_frame and the socket stays open", async () => {
    const { client } = await synced();
    client.sendRaw(JSON.stringify({ t: "ping" }));
    expect(await client.next<ErrorFrame>(isError)).toMatchObject({ code: "bad_frame" });
    await client.ping();
    await client.close();
  });

  it("[E2] a malformed append is refused with its id", async () => {
    const { client } = await synced();
    const id = newAppendId();
    client.sendRaw(encodeCbor({ t: "append", id, stream: randomStream(), kind: "update", body: "not bytes" }));
    expect(await client.next<ErrorFrame>(isError)).toMatchObject({ code: "bad_frame", id });
    const id2 = newAppendId();
    client.sendRaw(encodeCbor({ t: "append", id: id2, stream: randomStream(), kind: "replace", body: randomBody() }));
    expect(await client.next<ErrorFrame>(isError)).toMatchObject({ code: "bad_frame", id: id2 });
    await client.close();
  });

  it("[E2] a stream id out of the 16–64 byte range is invalid, refused with the append id", async () => {
    const { client } = await synced();
    for (const len of [0, 15, 65]) {
      const id = newAppendId();
      expect(await client.append({ id, stream: randomStream(len), body: randomBody() })).toMatchObject({ t: "error", code: "invalid", id });
    }
    expect(client.isOpen).toBe(true);
    await client.close();
  });

  it("[3.3] 20 bad frames are tolerated; the 21st within a minute closes the socket with 4400", async () => {
    const { client } = await synced();
    for (let i = 0; i < 20; i++) client.sendRaw(new Uint8Array([0xff, i]));
    for (let i = 0; i < 20; i++) expect((await client.next<ErrorFrame>(isError)).code).toBe("bad_frame");
    await client.ping();
    client.sendRaw(new Uint8Array([0xff, 0xff]));
    expect((await client.waitClosed(2_000)).code).toBe(CloseCode.badFrame);
  });
});

describe("3.3 limits", () => {
  it("[3.3] a frame over --frame-limit is refused with too_large and its id; the socket stays open", async () => {
    const { u, client } = await synced();
    const id = newAppendId();
    const r = await client.append({ id, stream: randomStream(), body: randomBody(1500) });
    expect(r).toMatchObject({ t: "error", code: "too_large", id });
    await client.ping();
    const ok = await client.appendAck({ id: newAppendId(), stream: randomStream(), body: randomBody(100) });
    const { entries } = await openSynced(relay.wsUrl, u.token);
    expect(entries.map((e) => e.seq)).toEqual([ok]);
    await client.close();
  });

  it("[3.3] a frame over twice the frame limit closes the socket with 1009", async () => {
    const { client } = await synced();
    client.send({ t: "append", id: newAppendId(), stream: randomStream(), kind: "update", body: randomBody(3000) });
    expect((await client.waitClosed(2_000)).code).toBe(CloseCode.messageTooBig);
  });

  it("[3.3][E2] appends over the per-user rate are refused with rate_limited and their id, never lost; other users are not slowed", async () => {
    const { u, client } = await synced();
    const stream = randomStream();
    const batch = Array.from({ length: 15 }, () => ({ id: newAppendId(), stream, body: randomBody(20) }));
    const answers = await Promise.all(batch.map((a) => client.append(a)));
    const acked = answers.filter((a) => a.t === "ack");
    const refused = answers.filter((a): a is ErrorFrame => a.t === "error");
    expect(acked.length).toBeGreaterThanOrEqual(5);
    expect(acked.length).toBeLessThanOrEqual(8);
    expect(refused.length + acked.length).toBe(15);
    for (const r of refused) expect(r.code).toBe("rate_limited");

    // Another user still has its whole burst.
    const other = await synced();
    for (let i = 0; i < 5; i++) await other.client.appendAck({ id: newAppendId(), stream, body: randomBody() });

    // The peer keeps refused appends in its outbox and retries them until acked.
    const outbox = batch.filter((a) => refused.some((r) => r.id === a.id));
    const deadline = Date.now() + 10_000;
    while (outbox.length > 0 && Date.now() < deadline) {
      const a = outbox[0]!;
      const r = await client.append(a);
      if (r.t === "ack") outbox.shift();
      else {
        expect(r.code).toBe("rate_limited");
        await new Promise((res) => setTimeout(res, 100)); // back off, as a peer would
      }
    }
    expect(outbox).toEqual([]);
    const { entries } = await openSynced(relay.wsUrl, u.token);
    expect(entries).toHaveLength(15);
    await Promise.all([client.close(), other.client.close()]);
  });

  it("[3.3] eph frames over the per-user rate are refused with rate_limited and the socket stays open", async () => {
    const { u, client } = await synced();
    const other = (await openSynced(relay.wsUrl, u.token)).client;
    for (let i = 0; i < 15; i++) client.send({ t: "eph", stream: randomStream(), body: randomBody(10) });
    expect((await client.next<ErrorFrame>(isError)).code).toBe("rate_limited");
    await client.ping();
    const delivered = other.received.filter((f) => f.t === "eph").length;
    expect(delivered).toBeLessThanOrEqual(8);
    await Promise.all([client.close(), other.close()]);
  });

  it("[3.3] appends over the storage quota are refused with quota_exceeded and their id; the socket stays open", async () => {
    const { u, client } = await synced();
    const stream = randomStream();
    const seqs: number[] = [];
    let refused: ErrorFrame | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      const id = newAppendId();
      const r = await client.append({ id, stream, body: randomBody(900) });
      if (r.t === "ack") seqs.push(r.seq);
      else {
        refused = r;
        expect(r).toMatchObject({ code: "quota_exceeded", id });
      }
    }
    expect(refused).toBeDefined();
    expect(seqs.length).toBeGreaterThanOrEqual(3);
    expect(seqs.length).toBeLessThanOrEqual(4);
    await client.ping();
    const { entries } = await openSynced(relay.wsUrl, u.token);
    expect(entries.map((e) => e.seq)).toEqual(seqs);
    await client.close();
  });

  it("[3.3] blobs count toward the quota", async () => {
    const { client, u } = await synced();
    const blob = randomBody(2000);
    expect((await json(relay.url, `/api/blobs/${sha256(blob)}`, { method: "PUT", token: u.token, rawBody: blob })).status).toBe(201);
    const blob2 = randomBody(2000);
    const r2 = await json(relay.url, `/api/blobs/${sha256(blob2)}`, { method: "PUT", token: u.token, rawBody: blob2 });
    expect(r2.status).toBe(201);
    // 4000 of 4096 bytes used: a 900-byte entry does not fit.
    const id = newAppendId();
    expect(await client.append({ id, stream: randomStream(), body: randomBody(900) })).toMatchObject({ t: "error", code: "quota_exceeded", id });
    // Nor does another blob.
    const blob3 = randomBody(500);
    // docs/protocol.md N13: 413 quota_exceeded.
    expectApiError(await json(relay.url, `/api/blobs/${sha256(blob3)}`, { method: "PUT", token: u.token, rawBody: blob3 }), 413, "quota_exceeded");
    expect((await json(relay.url, `/api/blobs/${sha256(blob3)}`, { token: u.token })).status).toBe(404);
    await client.close();
  });

  it("[3.3] a blob over --blob-limit gets 413; a blob whose hash differs gets 400", async () => {
    const u = await register(relay.url);
    const big = randomBody(3000);
    expectApiError(await json(relay.url, `/api/blobs/${sha256(big)}`, { method: "PUT", token: u.token, rawBody: big }), 413, "too_large");
    expect((await json(relay.url, `/api/blobs/${sha256(big)}`, { token: u.token })).status).toBe(404);
    const small = randomBody(100);
    expectApiError(await json(relay.url, `/api/blobs/${sha256(randomBody(100))}`, { method: "PUT", token: u.token, rawBody: small }), 400, "bad_request");
  });
});

describe("[X5] login and register rate limits", () => {
  const expect429 = (res: Awaited<ReturnType<typeof json>>) => {
    expectApiError(res, 429, "rate_limited");
    const retry = res.headers.get("retry-after");
    expect(retry).toMatch(/^\d+$/);
    expect(Number(retry)).toBeGreaterThan(0);
    expect(Number(retry)).toBeLessThanOrEqual(60);
  };

  it("[X5] the attempt over --auth-rate from one address gets 429 with Retry-After; X-Forwarded-For is ignored without --trust-proxy", async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        await json(auth.url, "/api/auth/register", {
          body: { email: uniqueEmail(), password: "long enough password" },
          headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
        }),
      );
    }
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([201, 201, 201]);
    expect429(answers[3]!);
    expect429(await json(auth.url, "/api/auth/login", { body: { email: uniqueEmail(), password: "long enough password" } }));
  });

  it("[X5] wrong passwords on one account are limited across addresses, and its owner, with the right password, still gets in (N19)", async () => {
    const owner = await register(proxied.url, uniqueEmail(), "the owner's password");
    const email = owner.email;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await json(proxied.url, "/api/auth/login", { body: { email, password: "wrong password" }, headers: { "x-forwarded-for": `203.0.113.${i + 1}` } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401]);
    expect429(await json(proxied.url, "/api/auth/login", { body: { email, password: "wrong password" }, headers: { "x-forwarded-for": "203.0.113.99" } }));
    const ownerIn = await json(proxied.url, "/api/auth/login", {
      body: { email, password: "the owner's password" },
      headers: { "x-forwarded-for": "198.18.0.1" },
    });
    expect(ownerIn.status).toBe(200);
  });

  it("[X5] behind one trusted proxy, what the client writes on the left of X-Forwarded-For does not make a new address", async () => {
    const spoof = (i: number) => ({ "x-forwarded-for": `10.9.9.${i}, 192.0.2.50` });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await json(proxied.url, "/api/auth/register", { body: { email: uniqueEmail(), password: "long enough password" }, headers: spoof(i) })).status,
      );
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
    expect429(await json(proxied.url, "/api/auth/register", { body: { email: uniqueEmail(), password: "long enough password" }, headers: spoof(9) }));
  });

  it("[X5] deleting the account takes password guesses at the login's rate, not unlimited ones (N19)", async () => {
    const own = await startRelay({ args: ["--auth-rate", "3"] });
    try {
      const u = await register(own.url);
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await json(own.url, "/api/me", { method: "DELETE", token: u.token, body: { password: `guess ${i}` } })).status);
      // The register took one attempt of the address's three.
      expect(statuses.slice(0, 2)).toEqual([401, 401]);
      expect429(await json(own.url, "/api/me", { method: "DELETE", token: u.token, body: { password: "guess 9" } }));
    } finally {
      await own.stop();
    }
  });

  it("[X5] attempts on one email are limited across addresses (behind a trusted proxy)", async () => {
    const email = uniqueEmail();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await json(proxied.url, "/api/auth/login", { body: { email, password: "wrong password" }, headers: { "x-forwarded-for": `203.0.113.${i + 1}` } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401]);
    expect429(await json(proxied.url, "/api/auth/login", { body: { email, password: "wrong password" }, headers: { "x-forwarded-for": "203.0.113.99" } }));
  });

  it("[X5] attempts from one address are limited across emails, and other addresses are not affected (behind a trusted proxy)", async () => {
    const from = (addr: string) => ({ "x-forwarded-for": addr });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await json(proxied.url, "/api/auth/register", { body: { email: uniqueEmail(), password: "long enough password" }, headers: from("192.0.2.7") }))
          .status,
      );
    }
    expect(statuses).toEqual([201, 201, 201]);
    expect429(await json(proxied.url, "/api/auth/register", { body: { email: uniqueEmail(), password: "long enough password" }, headers: from("192.0.2.7") }));
    const other = await json(proxied.url, "/api/auth/register", {
      body: { email: uniqueEmail(), password: "long enough password" },
      headers: from("192.0.2.8"),
    });
    expect(other.status).toBe(201);
  });
});

describe("[E3] limits are configurable", () => {
  it("[E3] a relay started with --bad-frames 2 closes on the third bad frame", async () => {
    const strict = await startRelay({ args: ["--bad-frames", "2"] });
    try {
      const u = await register(strict.url);
      const { client } = await openSynced(strict.wsUrl, u.token);
      client.sendRaw(new Uint8Array([0xff]));
      client.sendRaw(new Uint8Array([0xff]));
      await client.next(isError);
      await client.next(isError);
      await client.ping();
      client.sendRaw(new Uint8Array([0xff]));
      expect((await client.waitClosed(2_000)).code).toBe(CloseCode.badFrame);
    } finally {
      await strict.stop();
    }
  });
});
