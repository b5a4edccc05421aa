import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRelayFrame, encodeCbor, type AckFrame, type EntryFrame } from "@botschat/protocol";
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
} from "@botschat/relay-testkit";

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  await relay.stop();
});

/** The initial byte of the value that follows the text key `key` in a CBOR map. */
function valueHeadAfterKey(raw: Uint8Array, key: string): number | undefined {
  const k = [0x60 + key.length, ...Buffer.from(key)];
  outer: for (let i = 0; i + k.length < raw.length; i++) {
    for (let j = 0; j < k.length; j++) if (raw[i + j] !== k[j]) continue outer;
    return raw[i + k.length];
  }
  return undefined;
}
const UINT64 = 0x1b;

describe("§3 wire format", () => {
  it("[O1] millisecond times above 2^32 (entry ts, peers since) are 8-byte CBOR unsigned integers, never floats", async () => {
    const u = await register(relay.url);
    const reader = await SyncClient.connect(relay.wsUrl, { keepRaw: true });
    await reader.hello(u.token, 0, "reader");
    await reader.collectUntilSynced();
    await reader.next((f) => f.t === "peers");
    const writer = (await openSynced(relay.wsUrl, u.token)).client;
    await writer.appendAck({ id: newAppendId(), stream: new Uint8Array(32), body: new Uint8Array(16) });
    await reader.next((f) => f.t === "entry");
    const entryRaw = reader.raw.find((r) => {
      const d = decodeRelayFrame(r);
      return d.ok && d.frame.t === "entry";
    })!;
    expect(valueHeadAfterKey(entryRaw, "ts")).toBe(UINT64);
    const peersRaw = reader.raw.find((r) => {
      const d = decodeRelayFrame(r);
      return d.ok && d.frame.t === "peers";
    })!;
    expect(valueHeadAfterKey(peersRaw, "since")).toBe(UINT64);
    await Promise.all([reader.close(), writer.close()]);
  });

  it("[O1] the relay accepts small integers in the long 8-byte form (since, covers)", async () => {
    const u = await register(relay.url);
    const c = await SyncClient.connect(relay.wsUrl);
    c.sendRaw(encodeCbor({ t: "hello", token: u.token, since: 0n }));
    await c.next((f) => f.t === "welcome");
    await c.collectUntilSynced();
    const stream = randomStream();
    const head = await c.appendAck({ id: newAppendId(), stream, body: randomBody() });
    const id = newAppendId();
    const frame = encodeCbor({ t: "append", id, stream, kind: "snapshot", body: randomBody(), covers: BigInt(head) });
    expect(Array.from(frame)).toContain(UINT64);
    c.sendRaw(frame);
    expect(await c.next((f) => (f.t === "ack" || f.t === "error") && f.id === id)).toMatchObject({ t: "ack" });
    const again = await SyncClient.connect(relay.wsUrl);
    again.sendRaw(encodeCbor({ t: "hello", token: u.token, since: BigInt(head) }));
    await again.next((f) => f.t === "welcome");
    const { entries } = await again.collectUntilSynced();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.kind).toBe("snapshot");
    await Promise.all([c.close(), again.close()]);
  });

  it("[H1] frames pipelined right after hello are handled in order once welcomed", async () => {
    const u = await register(relay.url);
    const c = await SyncClient.connect(relay.wsUrl);
    const stream = randomStream();
    const ids = [newAppendId(), newAppendId(), newAppendId()];
    c.send({ t: "hello", token: u.token, since: 0 });
    for (const id of ids) c.send({ t: "append", id, stream, kind: "update", body: randomBody() });
    c.send({ t: "ping" });
    await c.next((f) => f.t === "welcome");
    const acks: AckFrame[] = [];
    for (const id of ids) acks.push(await c.next<AckFrame>((f) => f.t === "ack" && f.id === id));
    await c.next((f) => f.t === "pong");
    expect(acks.map((a) => a.seq)).toEqual([...acks.map((a) => a.seq)].sort((a, b) => a - b));
    expect(c.received[0]!.t).toBe("welcome");
    await c.close();
  });

  it("[A2] a socket never receives its own appends, even those committed while it is still catching up (N8)", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const filler = (await openSynced(relay.wsUrl, p.token)).client;
    const stream = randomStream();
    // A backlog larger than the socket buffers, read by a slow peer, so that catching up spans many
    // turns of the relay's event loop while the peer's own appends commit.
    await Promise.all(Array.from({ length: 300 }, () => filler.appendAck({ id: newAppendId(), stream, body: randomBody(30_000) }, 30_000)));
    const c = await SyncClient.connect(relay.wsUrl);
    c.ws.pause();
    c.send({ t: "hello", token: u.token, since: 0 });
    const acks = Array.from({ length: 20 }, () => c.appendAck({ id: newAppendId(), stream, body: randomBody() }, 30_000));
    await new Promise((r) => setTimeout(r, 300)); // a slow reader, not a synchronisation
    c.ws.resume();
    const mine = await Promise.all(acks);
    await c.collectUntilSynced(30_000);
    await c.ping();
    const got = c.received.filter((f): f is EntryFrame => f.t === "entry").map((e) => e.seq);
    expect(got).toHaveLength(300);
    for (const s of mine) expect(got).not.toContain(s);
    await Promise.all([filler.close(), c.close()]);
  });

  it("[A1] an ack overtakes no entry the socket is still to receive, also while it catches up (N16)", async () => {
    const u = await register(relay.url);
    const p = await createPairingToken(relay.url, u.token);
    const filler = (await openSynced(relay.wsUrl, p.token)).client;
    const stream = randomStream();
    await Promise.all(Array.from({ length: 200 }, () => filler.appendAck({ id: newAppendId(), stream, body: randomBody(30_000) }, 30_000)));
    const c = await SyncClient.connect(relay.wsUrl);
    c.ws.pause();
    c.send({ t: "hello", token: u.token, since: 0 });
    const acks = Array.from({ length: 10 }, () => c.appendAck({ id: newAppendId(), stream, body: randomBody() }, 30_000));
    // Others keep writing while it catches up: their entries must come before a later own ack too.
    const more = Array.from({ length: 10 }, () => filler.appendAck({ id: newAppendId(), stream, body: randomBody() }, 30_000));
    await new Promise((r) => setTimeout(r, 300)); // a slow reader, not a synchronisation
    c.ws.resume();
    await Promise.all([...acks, ...more]);
    await c.collectUntilSynced(30_000);
    await c.ping();
    const seen = new Set<number>();
    let entries = 0;
    for (const f of c.received) {
      if (f.t === "entry") {
        seen.add(f.seq);
        entries += 1;
      }
      if (f.t !== "ack") continue;
      // Every other device's entry below this ack has arrived before it.
      const owed = [...Array(f.seq).keys()].slice(1).filter((s) => !seen.has(s));
      const ownBelow = c.received.filter((g) => g.t === "ack" && g.seq < f.seq).map((g) => (g as { seq: number }).seq);
      expect(owed.filter((s) => !ownBelow.includes(s) && s !== f.seq)).toEqual([]);
    }
    expect(entries).toBe(210);
    await Promise.all([filler.close(), c.close()]);
  });
});
