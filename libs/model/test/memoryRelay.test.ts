import { describe, expect, it } from "vitest";
import type { EntryFrame, RelayFrame } from "@botschat/protocol";
import { newAppendId, randomBody, randomStream } from "@botschat/relay-testkit";
import { MemoryRelay, MemorySyncClient, type MemoryLine } from "../testkit/memoryRelay/index.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { prng } from "./prng.js";
import { RELAYS } from "./relays.js";
import type { RawClient } from "./syncFixture.js";

const text = new TextEncoder();
const seqsOf = (frames: readonly RelayFrame[]): number[] => frames.filter((f): f is EntryFrame => f.t === "entry").map((f) => f.seq);

// The rules of the relay protocol that the engine relies on, checked with raw frames against both
// relays: MemoryRelay passes the same checks as the relay process.
describe.each(RELAYS)("the relay protocol on %s", (_name, fixture) => {
  const fx = fixture();

  /** A socket that said hello and read its backlog. */
  async function synced(token: string, since = 0): Promise<RawClient> {
    const c = await fx.rawClient();
    await c.hello(token, since);
    await c.collectUntilSynced();
    return c;
  }

  async function ack(c: RawClient, a: Parameters<RawClient["append"]>[0]): Promise<number> {
    const r = await c.append(a);
    if (r.t !== "ack") throw new Error(`append ${a.id} refused: ${r.code} ${r.message}`);
    return r.seq;
  }

  it("[H1] a first frame other than hello closes the socket with 4400, a token the relay does not know with 4401", async () => {
    const early = await fx.rawClient();
    early.send({ t: "ping" });
    expect((await early.waitClosed()).code).toBe(4400);
    const stranger = await fx.rawClient();
    stranger.send({ t: "hello", token: `bc_ses_${"0".repeat(43)}`, since: 0 });
    expect((await stranger.waitClosed()).code).toBe(4401);
  });

  it("[O1] [A2] appends get increasing seqs; the sender gets only acks, the user's other socket every entry in seq order", async () => {
    const { token } = await fx.register();
    const a = await synced(token);
    const b = await synced(token);
    const stream = randomStream();
    const ids = Array.from({ length: 6 }, () => newAppendId("o1"));
    // Pipelined: all sent before any ack comes back.
    const acks = await Promise.all(ids.map((id) => ack(a, { id, stream, body: randomBody() })));
    expect(acks).toEqual([...acks].sort((x, y) => x - y));
    expect(new Set(acks).size).toBe(6);
    await b.next((f) => f.t === "entry" && f.seq === acks.at(-1));
    expect(seqsOf(b.received)).toEqual(acks);
    expect(seqsOf(a.received)).toEqual([]);
    a.close();
    b.close();
  });

  it("[O1] a socket says hello with `since`: it gets only the entries above it, then `synced` with the head, then live entries", async () => {
    const { token } = await fx.register();
    const a = await synced(token);
    const stream = randomStream();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push(await ack(a, { id: newAppendId("since"), stream, body: randomBody() }));
    const c = await fx.rawClient();
    const welcome = await c.hello(token, seqs[1]!);
    expect(welcome.head).toBe(seqs[4]);
    const { entries, synced: done } = await c.collectUntilSynced();
    expect(entries.map((e) => e.seq)).toEqual(seqs.slice(2));
    expect(done.head).toBe(seqs[4]);
    const live = await ack(a, { id: newAppendId("live"), stream, body: randomBody() });
    expect((await c.next<EntryFrame>((f) => f.t === "entry")).seq).toBe(live);
    a.close();
    c.close();
  });

  it("[A3] a repeated append id gets the first ack and stores nothing, also once a snapshot compacted its entry away", async () => {
    const { token } = await fx.register();
    const a = await synced(token);
    const stream = randomStream();
    const id = newAppendId("again");
    const first = await ack(a, { id, stream, body: randomBody() });
    expect(await ack(a, { id, stream, body: randomBody() })).toBe(first);
    const snap = await ack(a, { id: newAppendId("snap"), stream, kind: "snapshot", body: randomBody(), covers: first });
    expect(await ack(a, { id, stream, body: randomBody() })).toBe(first);
    expect((await fx.readLog(token)).entries.map((e) => e.seq)).toEqual([snap]);
    a.close();
  });

  it("[S1] [S3] a snapshot deletes its stream's entries up to covers, older snapshots too, and nothing of other streams; covers above the head is invalid", async () => {
    const { token } = await fx.register();
    const a = await synced(token);
    const [s1, s2] = [randomStream(), randomStream()];
    const u1 = await ack(a, { id: newAppendId("u"), stream: s1, body: randomBody() });
    const other = await ack(a, { id: newAppendId("u"), stream: s2, body: randomBody() });
    const snap1 = await ack(a, { id: newAppendId("s"), stream: s1, kind: "snapshot", body: randomBody(), covers: u1 });
    const u2 = await ack(a, { id: newAppendId("u"), stream: s1, body: randomBody() });
    expect((await fx.readLog(token)).entries.map((e) => e.seq)).toEqual([other, snap1, u2]);
    const snap2 = await ack(a, { id: newAppendId("s"), stream: s1, kind: "snapshot", body: randomBody(), covers: u2 });
    expect((await fx.readLog(token)).entries.map((e) => e.seq)).toEqual([other, snap2]);
    const refused = await a.append({ id: newAppendId("s"), stream: s1, kind: "snapshot", body: randomBody(), covers: snap2 + 10 });
    expect(refused).toMatchObject({ t: "error", code: "invalid" });
    a.close();
  });

  it("N8 N16: an append sent right behind hello is acked after every backlog entry below its seq, and never comes back as an entry", async () => {
    const { token } = await fx.register();
    const a = await synced(token);
    const stream = randomStream();
    for (let i = 0; i < 40; i++) await ack(a, { id: newAppendId("backlog"), stream, body: randomBody(2000) });
    const c = await fx.rawClient();
    c.send({ t: "hello", token, since: 0 });
    const id = newAppendId("pipelined");
    c.send({ t: "append", id, stream, kind: "update", body: randomBody() });
    const mine = await c.next((f) => f.t === "ack" && f.id === id);
    const at = c.received.indexOf(mine);
    const { entries } = await c.collectUntilSynced();
    expect(seqsOf(c.received.slice(0, at))).toHaveLength(40);
    expect(entries.every((e) => e.seq !== (mine as { seq: number }).seq)).toBe(true);
    a.close();
    c.close();
  });

  it("[A4] [K6] an eph frame reaches the user's other sockets, not its sender and not another user's", async () => {
    const [one, two] = [await fx.register(), await fx.register()];
    const a = await synced(one.token);
    const b = await synced(one.token);
    const stranger = await synced(two.token);
    const stream = randomStream();
    a.send({ t: "eph", stream, body: text.encode("typing") });
    const got = await b.next((f) => f.t === "eph");
    expect(got).toMatchObject({ t: "eph", body: text.encode("typing") });
    stranger.send({ t: "ping" });
    await stranger.next((f) => f.t === "pong");
    a.send({ t: "ping" });
    await a.next((f) => f.t === "pong");
    expect(a.received.some((f) => f.t === "eph")).toBe(false);
    expect(stranger.received.some((f) => f.t === "eph")).toBe(false);
    for (const c of [a, b, stranger]) c.close();
  });

  it("N9 [H2] peers follow joins and leaves; a second socket on a pairing token replaces the first (4409); revoking it closes its socket with 4401 and refuses it after", async () => {
    const user = await fx.register();
    const a = await synced(user.token);
    const pairing = await fx.createPairingToken(user.token, "agent");
    const p1 = await synced(pairing.token);
    const joined = await a.next<Extract<RelayFrame, { t: "peers" }>>((f) => f.t === "peers" && f.peers.length === 2);
    expect(joined.peers.map((p) => p.kind).sort()).toEqual(["browser", "plugin"]);
    const p2 = await fx.rawClient();
    await p2.hello(pairing.token, 0, "second instance");
    expect((await p1.waitClosed()).code).toBe(4409);
    await p2.collectUntilSynced();
    const replaced = await a.next<Extract<RelayFrame, { t: "peers" }>>((f) => f.t === "peers" && f.peers.some((p) => p.label === "second instance"));
    expect(replaced.peers).toHaveLength(2);
    expect(await fx.revokePairingToken(user.token, pairing.id)).toBe(204);
    expect((await p2.waitClosed()).code).toBe(4401);
    await a.next((f) => f.t === "peers" && f.peers.length === 1);
    const again = await fx.rawClient();
    again.send({ t: "hello", token: pairing.token, since: 0 });
    expect((await again.waitClosed()).code).toBe(4401);
    a.close();
  });
});

describe("MemoryRelay's faults and durability", () => {
  const fx = memoryRelayFixture();
  const relay = fx.relay;

  async function synced(token: string, line: MemoryLine = relay.line(), since = 0): Promise<MemorySyncClient> {
    const c = await MemorySyncClient.connect(line, relay.wsUrl);
    await c.hello(token, since);
    await c.collectUntilSynced();
    return c;
  }

  it("[A1] nothing is acked or fanned out before its commit; a crash loses what was not committed, and its retry after the restart is stored once", async () => {
    const { token } = relay.register();
    const a = await synced(token);
    const b = await synced(token);
    const stream = randomStream();
    const kept = await a.append({ id: newAppendId("kept"), stream, body: randomBody() });
    relay.holdCommits();
    const id = newAppendId("lost");
    a.send({ t: "append", id, stream, kind: "update", body: randomBody() });
    await relay.whenIdle();
    expect(a.received.some((f) => f.t === "ack" && f.id === id)).toBe(false);
    expect(seqsOf(b.received)).toHaveLength(1);
    relay.restart({ crash: true });
    expect((await a.waitClosed()).code).toBe(1006);
    expect(relay.logOf(token).entries.map((e) => e.seq)).toEqual([(kept as { seq: number }).seq]);
    relay.releaseCommits();
    const a2 = await synced(token);
    const retry = await a2.append({ id, stream, body: randomBody() });
    expect(await a2.append({ id, stream, body: randomBody() })).toEqual(retry);
    expect(relay.logOf(token).entries).toHaveLength(2);
    a2.close();
  });

  it("a graceful restart closes sockets with 1001 after what was sent to them, and keeps the log, the head and the append ids", async () => {
    const { token } = relay.register();
    const a = await synced(token);
    const stream = randomStream();
    const id = newAppendId("before");
    const first = await a.append({ id, stream, body: randomBody() });
    relay.restart();
    expect(await a.waitClosed()).toEqual({ code: 1001, reason: "relay shutting down" });
    const a2 = await MemorySyncClient.connect(relay.line(), relay.wsUrl);
    expect((await a2.hello(token, 0)).head).toBe((first as { seq: number }).seq);
    expect((await a2.collectUntilSynced()).entries).toHaveLength(1);
    expect(await a2.append({ id, stream, body: randomBody() })).toEqual(first);
    a2.close();
  });

  it("a held line loses nothing and keeps the order; a dropped one loses what was on the way and closes with 1006; an offline one refuses sockets and requests", async () => {
    const { token } = relay.register();
    const line = relay.line("held");
    const a = await synced(token, line);
    const writer = await synced(token);
    const stream = randomStream();
    const write = async (n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(((await writer.append({ id: newAppendId("w"), stream, body: randomBody() })) as { seq: number }).seq);
      return out;
    };
    line.hold("down");
    const held = await write(3);
    await relay.whenIdle();
    expect(seqsOf(a.received)).toEqual([]);
    line.release();
    await a.next((f) => f.t === "entry" && f.seq === held[2]);
    expect(seqsOf(a.received)).toEqual(held);

    line.hold();
    const lost = await write(2);
    await relay.whenIdle();
    expect(line.drop()).toBe(1);
    expect((await a.waitClosed()).code).toBe(1006);
    expect(seqsOf(a.received)).toEqual(held);
    line.release();
    const back = await MemorySyncClient.connect(line, relay.wsUrl);
    await back.hello(token, held[2]);
    expect((await back.collectUntilSynced()).entries.map((e) => e.seq)).toEqual(lost);

    line.offline();
    expect((await back.waitClosed()).code).toBe(1006);
    await expect(MemorySyncClient.connect(line, relay.wsUrl)).rejects.toThrow(/cannot connect/);
    await expect(line.fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow(TypeError);
    line.online();
    expect((await line.fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    writer.close();
  });

  it("reordered, appends arriving together commit in an order the seed decides, each socket's own in its order", async () => {
    const order = async (seed: number): Promise<string[]> => {
      const r = new MemoryRelay();
      const { token } = r.register();
      const [a, b] = [await synced2(r, token), await synced2(r, token)];
      r.reorder(prng(seed));
      const stream = randomStream();
      const acks: Promise<unknown>[] = [];
      for (let i = 0; i < 4; i++)
        for (const [name, c] of [
          ["a", a],
          ["b", b],
        ] as const)
          acks.push(c.append({ id: `${name}${i}`, stream, body: text.encode(`${name}${i}`) }));
      await Promise.all(acks);
      return r.logOf(token).entries.map((e) => new TextDecoder().decode(e.body));
    };
    const runs = await Promise.all([1, 2, 3, 4, 5].map(order));
    expect(await order(3)).toEqual(runs[2]);
    for (const run of runs) {
      expect(run.filter((x) => x.startsWith("a"))).toEqual(["a0", "a1", "a2", "a3"]);
      expect(run.filter((x) => x.startsWith("b"))).toEqual(["b0", "b1", "b2", "b3"]);
    }
    expect(runs.some((run) => run.join() !== "a0,b0,a1,b1,a2,b2,a3,b3")).toBe(true);
  });

  it("[K1] PUT /api/me/vault sets the vault once (204, 204 again for the same bytes, 409 with the stored one for others), 403 with a pairing token; GET /api/me shows it", async () => {
    const user = relay.register();
    const pairing = relay.createPairingToken(user.token);
    const put = (token: string, vault: string) =>
      relay.fetch(`${relay.url}/api/me/vault`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ vault }) });
    expect((await put(pairing.token, "AAAA")).status).toBe(403);
    expect((await put(user.token, "AAAA")).status).toBe(204);
    expect((await put(user.token, "AAAA")).status).toBe(204);
    const conflict = await put(user.token, "BBBB");
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: "conflict" }, vault: "AAAA" });
    const me = await relay.fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${pairing.token}` } });
    expect(await me.json()).toEqual({ userId: user.userId, email: user.email, vault: "AAAA" });
  });
});

async function synced2(relay: MemoryRelay, token: string): Promise<MemorySyncClient> {
  const c = await MemorySyncClient.connect(relay.line(), relay.wsUrl);
  await c.hello(token, 0);
  await c.collectUntilSynced();
  return c;
}
