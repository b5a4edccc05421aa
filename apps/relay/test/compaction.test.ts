import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryFrame } from "@botschat/protocol";
import { newAppendId, openSynced, randomBody, randomStream, register, type RelayProcess, sameBytes, startRelay } from "@botschat/relay-testkit";

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  await relay.stop();
});

const isEntry = (f: { t: string }) => f.t === "entry";

/** A user with one synced socket, and helpers to append. */
async function writer() {
  const u = await register(relay.url);
  const { client } = await openSynced(relay.wsUrl, u.token);
  const update = (stream: Uint8Array, body = randomBody()) => client.appendAck({ id: newAppendId("u"), stream, body });
  return { u, client, update };
}

describe("[S1] snapshots replace the history of their stream", () => {
  it("[S1] after a snapshot with covers only the snapshot and later entries of that stream remain; other streams are untouched", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    const B = randomStream();
    const a1 = await update(A);
    const a2 = await update(A);
    const b1 = await update(B);
    const a3 = await update(A);
    const a4 = await update(A);
    const b2 = await update(B);
    const snapBody = randomBody(500);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: snapBody, covers: a3 });
    expect(snap).toBeGreaterThan(b2);
    const a5 = await update(A);

    const { entries, synced } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([b1, a4, b2, snap, a5]);
    expect(synced.head).toBe(a5);
    const s = entries.find((e) => e.seq === snap)!;
    expect(s.kind).toBe("snapshot");
    expect(sameBytes(s.body, snapBody)).toBe(true);
    expect(sameBytes(s.stream, A)).toBe(true);
    expect([a1, a2, a3].some((x) => entries.some((e) => e.seq === x))).toBe(false);
    await client.close();
  });

  it("[S1] a later snapshot also removes the earlier snapshot it covers", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    await update(A);
    const s1 = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: await update(A) });
    const u3 = await update(A);
    const s2 = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: u3 });
    const { entries } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([s2]);
    expect(s2).toBeGreaterThan(s1);
    await client.close();
  });

  it("[S1] a snapshot whose covers is below some of the stream's entries keeps those above covers", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    const u1 = await update(A);
    const u2 = await update(A);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: u1 });
    const { entries } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([u2, snap]);
    await client.close();
  });
});

describe("[S2] peers behind the snapshot converge", () => {
  it("[S2] a peer whose cursor is below covers still receives the snapshot (and what is left above its cursor)", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    const B = randomStream();
    const a1 = await update(A);
    const b1 = await update(B);
    const a2 = await update(A);
    const a3 = await update(A);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: a3 });
    // The peer had applied only a1.
    const behind = await openSynced(relay.wsUrl, u.token, a1);
    expect(behind.entries.map((e) => e.seq)).toEqual([b1, snap]);
    expect(behind.entries[1]!.kind).toBe("snapshot");
    expect(a2).toBeLessThan(snap);
    await Promise.all([client.close(), behind.client.close()]);
  });

  it("[S2] a connected peer receives the snapshot live", async () => {
    const { u, client, update } = await writer();
    const other = (await openSynced(relay.wsUrl, u.token)).client;
    const A = randomStream();
    const a1 = await update(A);
    expect((await other.next<EntryFrame>(isEntry)).seq).toBe(a1);
    const body = randomBody(99);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body, covers: a1 });
    const e = await other.next<EntryFrame>(isEntry);
    expect(e).toMatchObject({ seq: snap, kind: "snapshot", stream: A, body });
    await Promise.all([client.close(), other.close()]);
  });
});

describe("[S3] invalid covers", () => {
  it("[S3] covers above the user's head is answered with invalid and its id, and stores nothing", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    const head = await update(A);
    const id = newAppendId("s");
    const r = await client.append({ id, stream: A, kind: "snapshot", body: randomBody(), covers: head + 1000 });
    expect(r).toMatchObject({ t: "error", code: "invalid", id });
    expect(client.isOpen).toBe(true);
    const { entries, synced } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([head]);
    expect(synced.head).toBe(head);
    // The id was not used up: once valid, it is stored.
    expect(await client.appendAck({ id, stream: A, kind: "snapshot", body: randomBody(), covers: head })).toBeGreaterThan(head);
    await client.close();
  });

  it("[S3] covers on an update is answered with invalid and its id", async () => {
    const { client, update } = await writer();
    const A = randomStream();
    const head = await update(A);
    const id = newAppendId("u");
    client.send({ t: "append", id, stream: A, kind: "update", body: randomBody(), covers: head });
    const r = await client.next((f) => (f.t === "error" || f.t === "ack") && f.id === id);
    expect(r).toMatchObject({ t: "error", code: "invalid", id });
    await client.ping();
    await client.close();
  });

  it("[S3] covers equal to the head is accepted", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    await update(A);
    const head = await update(A);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: head });
    const { entries } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([snap]);
    await client.close();
  });
});

describe("[S4] tombstones", () => {
  it("[S4] a tombstone snapshot leaves one small entry for the stream", async () => {
    const { u, client, update } = await writer();
    const doc = randomStream();
    const keep = randomStream();
    const kept = await update(keep);
    let head = 0;
    for (let i = 0; i < 20; i++) head = await update(doc, randomBody(2000));
    const tombstone = randomBody(256 + 24 + 16);
    const snap = await client.appendAck({ id: newAppendId("t"), stream: doc, kind: "snapshot", body: tombstone, covers: head });
    const { entries } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([kept, snap]);
    const ofDoc = entries.filter((e) => sameBytes(e.stream, doc));
    expect(ofDoc).toHaveLength(1);
    expect(ofDoc[0]!.body).toEqual(tombstone);
    await client.close();
  });

  it("[A3] an append id whose entry compaction removed still gets its first ack and stores nothing", async () => {
    const { u, client, update } = await writer();
    const A = randomStream();
    const id = newAppendId("u");
    const body = randomBody();
    const first = await client.appendAck({ id, stream: A, body });
    const second = await update(A);
    const snap = await client.appendAck({ id: newAppendId("s"), stream: A, kind: "snapshot", body: randomBody(), covers: second });
    expect(await client.appendAck({ id, stream: A, body })).toBe(first);
    const { entries } = await openSynced(relay.wsUrl, u.token, 0);
    expect(entries.map((e) => e.seq)).toEqual([snap]);
    await client.close();
  });
});
