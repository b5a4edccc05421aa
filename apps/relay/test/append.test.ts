import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryFrame } from "@botschat/protocol";
import {
  createPairingToken,
  newAppendId,
  openSynced,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  startRelay,
  SyncClient,
  tempDir,
} from "@botschat/relay-testkit";

let relay: RelayProcess;
const extra: RelayProcess[] = [];
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  await Promise.all([relay.stop(), ...extra.map((r) => r.kill9())]);
});

const isEntry = (f: { t: string }) => f.t === "entry";

describe("[O1] ordering", () => {
  it("[O1] seqs increase; a socket gets the backlog above since, then synced, then live entries, in seq order", async () => {
    const u = await register(relay.url);
    const writer = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const seqs: number[] = [];
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) {
      bodies.push(randomBody(10 + i));
      seqs.push(await writer.appendAck({ id: newAppendId(), stream, body: bodies[i]! }));
    }
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);

    const reader = await SyncClient.connect(relay.wsUrl);
    const w = await reader.hello(u.token, seqs[3]!);
    expect(w.head).toBe(seqs[9]);
    const { entries, synced } = await reader.collectUntilSynced();
    expect(synced.head).toBe(seqs[9]);
    expect(entries.map((e) => e.seq)).toEqual(seqs.slice(4));
    expect(entries.map((e) => e.body)).toEqual(bodies.slice(4));
    for (const e of entries) expect(e).toMatchObject({ stream, kind: "update" });

    // Live entries follow, still in order.
    const live: number[] = [];
    for (let i = 0; i < 5; i++) live.push(await writer.appendAck({ id: newAppendId(), stream, body: randomBody() }));
    for (const s of live) expect((await reader.next<EntryFrame>(isEntry)).seq).toBe(s);
    const all = reader.received.filter((f): f is EntryFrame => f.t === "entry").map((e) => e.seq);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(reader.violations).toEqual([]);
    await Promise.all([writer.close(), reader.close()]);
  });

  it("[O1] a peer that is up to date gets no backlog, just synced with the head", async () => {
    const u = await register(relay.url);
    const writer = (await openSynced(relay.wsUrl, u.token)).client;
    const head = await writer.appendAck({ id: newAppendId(), stream: randomStream(), body: randomBody() });
    const again = await openSynced(relay.wsUrl, u.token, head);
    expect(again.entries).toEqual([]);
    expect(again.synced.head).toBe(head);
    expect(again.welcome.head).toBe(head);
    await Promise.all([writer.close(), again.client.close()]);
  });

  it("[O1] many peers appending at once all get distinct seqs and every reader sees one total order", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const writers = await Promise.all([u.token, u.token, p.token].map(async (t) => (await openSynced(relay.wsUrl, t)).client));
    const reader = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const acks = await Promise.all(writers.flatMap((w) => Array.from({ length: 30 }, () => w.appendAck({ id: newAppendId(), stream, body: randomBody() }))));
    expect(new Set(acks).size).toBe(acks.length);
    const sorted = [...acks].sort((a, b) => a - b);
    const got: number[] = [];
    while (got.length < acks.length) got.push((await reader.next<EntryFrame>(isEntry)).seq);
    expect(got).toEqual(sorted);
    await Promise.all([...writers, reader].map((c) => c.close()));
  });
});

describe("[O1] catching up while others write", () => {
  it("[O1] readers that connect while entries are being appended get every entry once, in order, across backlog and live", async () => {
    const u = await register(relay.url);
    const writer = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    // A backlog larger than the socket buffers, so that a slow reader's catch-up spans the writes below.
    const acked = await Promise.all(Array.from({ length: 100 }, () => writer.appendAck({ id: newAppendId(), stream, body: randomBody(30_000) }, 30_000)));
    const readers: SyncClient[] = [];
    for (let round = 0; round < 4; round++) {
      const reader = await SyncClient.connect(relay.wsUrl);
      reader.ws.pause(); // a slow reader
      reader.send({ t: "hello", token: u.token, since: 0 });
      readers.push(reader);
      acked.push(...(await Promise.all(Array.from({ length: 50 }, () => writer.appendAck({ id: newAppendId(), stream, body: randomBody(100) }, 30_000)))));
      reader.ws.resume();
    }
    acked.push(...(await Promise.all(Array.from({ length: 20 }, () => writer.appendAck({ id: newAppendId(), stream, body: randomBody(100) })))));
    const all = [...acked].sort((a, b) => a - b);
    for (const r of readers) {
      const seqs: number[] = [];
      while (seqs.length < all.length) seqs.push((await r.next<EntryFrame>(isEntry, 10_000)).seq);
      expect(seqs).toEqual(all);
      await r.ping();
      expect(r.received.filter((f) => f.t === "synced")).toHaveLength(1);
      expect(r.received.filter(isEntry)).toHaveLength(all.length);
    }
    await Promise.all([writer, ...readers].map((c) => c.close()));
  });
});

describe("[A2] fan-out", () => {
  it("[A2] every other socket of the user receives the entry; the sender receives only the ack", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const sender = (await openSynced(relay.wsUrl, u.token)).client;
    const tab = (await openSynced(relay.wsUrl, u.token)).client;
    const plugin = (await openSynced(relay.wsUrl, p.token)).client;
    const stream = randomStream(48);
    const body = randomBody(300);
    const before = Date.now();
    const seq = await sender.appendAck({ id: newAppendId(), stream, body, kind: "update" });
    for (const other of [tab, plugin]) {
      const e = await other.next<EntryFrame>(isEntry);
      expect(e).toMatchObject({ t: "entry", seq, stream, kind: "update", body });
      expect(e.ts).toBeGreaterThanOrEqual(before - 5_000);
      expect(e.ts).toBeLessThanOrEqual(Date.now() + 5_000);
    }
    // A later round trip proves nothing else is on its way to the sender.
    await sender.ping();
    expect(sender.received.filter(isEntry)).toEqual([]);
    await Promise.all([sender, tab, plugin].map((c) => c.close()));
  });

  it("[A2] eph frames reach the user's other sockets at once and are never stored", async () => {
    const u = await register(relay.url);
    const a = (await openSynced(relay.wsUrl, u.token)).client;
    const b = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const body = randomBody(40);
    a.send({ t: "eph", stream, body });
    expect(await b.next((f) => f.t === "eph")).toEqual({ t: "eph", stream, body });
    await a.ping();
    expect(a.received.filter((f) => f.t === "eph")).toEqual([]);
    const late = await openSynced(relay.wsUrl, u.token);
    expect(late.entries).toEqual([]);
    expect(late.welcome.head).toBe(0);
    await Promise.all([a.close(), b.close(), late.client.close()]);
  });

  it("ping is answered with pong", async () => {
    const u = await register(relay.url);
    const { client } = await openSynced(relay.wsUrl, u.token);
    for (let i = 0; i < 3; i++) await client.ping();
    await client.close();
  });
});

describe("[A3] idempotent appends", () => {
  it("[A3] a repeated append id on the same socket gets the first ack and stores nothing", async () => {
    const u = await register(relay.url);
    const a = (await openSynced(relay.wsUrl, u.token)).client;
    const b = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const id = newAppendId();
    const seq = await a.appendAck({ id, stream, body: randomBody() });
    expect(await a.appendAck({ id, stream, body: randomBody() })).toBe(seq);
    expect(await a.appendAck({ id, stream, body: randomBody() })).toBe(seq);
    const marker = await a.appendAck({ id: newAppendId(), stream, body: randomBody() });
    expect((await b.next<EntryFrame>(isEntry)).seq).toBe(seq);
    expect((await b.next<EntryFrame>(isEntry)).seq).toBe(marker);
    expect(b.received.filter(isEntry)).toHaveLength(2);
    const fresh = await openSynced(relay.wsUrl, u.token);
    expect(fresh.entries.map((e) => e.seq)).toEqual([seq, marker]);
    await Promise.all([a.close(), b.close(), fresh.client.close()]);
  });

  it("[A3] a retry after reconnecting, from another device, gets the first ack and stores nothing", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const a = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const id = newAppendId();
    const body = randomBody();
    const seq = await a.appendAck({ id, stream, body });
    a.terminate();
    const again = (await openSynced(relay.wsUrl, u.token, seq)).client;
    expect(await again.appendAck({ id, stream, body })).toBe(seq);
    const plugin = await openSynced(relay.wsUrl, p.token, 0);
    expect(plugin.entries.map((e) => e.seq)).toEqual([seq]);
    expect(await plugin.client.appendAck({ id, stream, body })).toBe(seq);
    const check = await openSynced(relay.wsUrl, u.token, 0);
    expect(check.entries).toHaveLength(1);
    expect(check.synced.head).toBe(seq);
    await Promise.all([again.close(), plugin.client.close(), check.client.close()]);
  });

  it("[A3] many retries of one id sent at once all get the same seq", async () => {
    const u = await register(relay.url);
    const a = (await openSynced(relay.wsUrl, u.token)).client;
    const b = (await openSynced(relay.wsUrl, u.token)).client;
    const stream = randomStream();
    const id = newAppendId();
    const body = randomBody();
    const seqs = await Promise.all([a, b, a, b, a].map((c) => c.appendAck({ id, stream, body })));
    expect(new Set(seqs).size).toBe(1);
    const check = await openSynced(relay.wsUrl, u.token, 0);
    expect(check.entries).toHaveLength(1);
    await Promise.all([a.close(), b.close(), check.client.close()]);
  });
});

describe("[A1] durability", () => {
  it("[A1] every acked entry survives kill -9 in order with its seq, and retried ids still get their first ack after restart", async () => {
    const dataDir = tempDir();
    const first = await startRelay({ dataDir });
    extra.push(first);
    const u = await register(first.url);
    const p = await createPairingToken(first.url, u.token);
    const sockets = await Promise.all([u.token, u.token, u.token, p.token, u.token].map(async (t) => (await openSynced(first.wsUrl, t)).client));
    const streams = [randomStream(), randomStream(16), randomStream(64)];
    const sent: Array<{ id: string; stream: Uint8Array; body: Uint8Array }> = [];
    const acked = new Map<string, number>();
    // 500 appends over 5 sockets, pipelined 100 per socket.
    await Promise.all(
      sockets.map(async (s, k) => {
        const mine = Array.from({ length: 100 }, (_, i) => ({ id: `k${k}-i${i}-${newAppendId()}`, stream: streams[i % 3]!, body: randomBody(20 + (i % 50)) }));
        sent.push(...mine);
        const seqs = await Promise.all(mine.map((a) => s.appendAck(a, 20_000)));
        mine.forEach((a, i) => acked.set(a.id, seqs[i]!));
      }),
    );
    expect(await first.kill9()).toMatchObject({ signal: "SIGKILL" });

    const second = await startRelay({ dataDir });
    extra.push(second);
    const { client, entries, synced } = await openSynced(second.wsUrl, u.token, 0);
    const expected = sent.map((a) => ({ seq: acked.get(a.id)!, stream: a.stream, body: a.body })).sort((x, y) => x.seq - y.seq);
    expect(entries).toHaveLength(500);
    expect(entries.map((e) => ({ seq: e.seq, stream: e.stream, body: e.body }))).toEqual(expected);
    expect(synced.head).toBe(expected[499]!.seq);

    // [A3] after restart: retried ids get their first seq and store nothing.
    for (const a of [sent[0]!, sent[250]!, sent[499]!]) expect(await client.appendAck(a)).toBe(acked.get(a.id));
    const newSeq = await client.appendAck({ id: newAppendId(), stream: streams[0]!, body: randomBody() });
    expect(newSeq).toBeGreaterThan(synced.head);
    const check = await openSynced(second.wsUrl, u.token, 0);
    expect(check.entries).toHaveLength(501);
    await Promise.all([client.close(), check.client.close()]);
    await second.stop();
  });
});
