import { Repo } from "@automerge/automerge-repo";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DocSyncState, OutboxEntry, PeerStorage, SyncSnapshot, SyncTx } from "./PeerStorage.js";
import { PeerStorageAdapter } from "./PeerStorageAdapter.js";

/** What a conformance setup gives the suite for each test: a fresh, empty store. */
export interface PeerStorageFixture {
  storage: PeerStorage;
  /**
   * Opens a new instance over the same data (the suite closes the current one first), to check
   * that what was committed survives a restart. Without it, the suite checks the live instance.
   */
  reopen?: () => Promise<PeerStorage>;
  /** Removes whatever the fixture created (directories, databases). */
  cleanup: () => Promise<void>;
}

type Chunk = { key: string[]; data: Uint8Array | undefined };

/** Deterministic pseudo-random bytes (xorshift32), so large test values are the same on every run. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
/** Orders keys segment by segment, a key before the longer keys it is a prefix of. */
const byKey = (a: Chunk, b: Chunk): number => {
  for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
    const x = a.key[i] as string;
    const y = b.key[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.key.length - b.key.length;
};
const sorted = (chunks: Chunk[]): Chunk[] => [...chunks].sort(byKey);

/**
 * Compares large byte arrays directly: a deep equality over megabytes, element by element, takes
 * the matcher tens of seconds.
 */
function expectSameBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  expectPlainBytes(actual);
  const a = actual as Uint8Array;
  expect(a.byteLength).toBe(expected.byteLength);
  const firstDifference = a.findIndex((value, i) => value !== expected[i]);
  expect(firstDifference, "index of the first differing byte").toBe(-1);
}

function expectPlainBytes(value: unknown): void {
  expect(value).toBeInstanceOf(Uint8Array);
  expect(Object.getPrototypeOf(value), "a plain Uint8Array, not a Buffer or another subclass").toBe(Uint8Array.prototype);
}

function docState(n: number, extra: Partial<DocSyncState> = {}): DocSyncState {
  return {
    stream: bytes(n & 0xff, 1, 2, 3),
    knownHeads: [`head-${n}-a`, `head-${n}-b`],
    lastSeq: n,
    updatesSinceSnapshot: n % 7,
    updateBytesSinceSnapshot: n * 10,
    snapshotBytes: n * 100,
    ...extra,
  };
}

function entry(id: string, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    doc: `doc-${id}`,
    stream: bytes(9, 8, 7),
    kind: "update",
    body: new TextEncoder().encode(`body of ${id}`),
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}

const ids = (s: SyncSnapshot): string[] => s.outbox.map((e) => e.id);

/** Keys that trip naive encodings: case, path syntax, empty and long segments, non-ASCII. */
const AWKWARD_KEYS: string[][] = [
  ["a"],
  ["A"],
  ["a", "b"],
  ["a", "B"],
  ["ab"],
  ["a/b"],
  ["a", "/"],
  ["..", "x"],
  ["."],
  [""],
  ["", ""],
  ["a", ""],
  ["%2F"],
  ["~"],
  ["^"],
  ["con"],
  ["a\\b"],
  [" a "],
  ["a:b*?"],
  ["a\u0000b"],
  ["é", "ü"],
  ["😀"],
  ["x".repeat(300)],
  ["x".repeat(300), "y"],
  ["X".repeat(250)],
];

/**
 * The conformance suite every {@link PeerStorage} implementation passes: automerge-repo's chunk
 * semantics (segment-wise key prefixes), the sync state's commit rules (see `SyncTx`), atomicity,
 * exact byte round-trips, `clear`, `close`, large values, many small commits, and — when the setup
 * can reopen — durability across a restart. A new implementation needs only a setup file:
 *
 * @example
 * ```ts
 * runPeerStorageConformance("MemoryPeerStorage", async () => {
 *   const storage = new MemoryPeerStorage();
 *   return { storage, reopen: async () => storage.reopen(), cleanup: async () => {} };
 * });
 * ```
 */
export function runPeerStorageConformance(name: string, make: () => Promise<PeerStorageFixture>): void {
  describe(`PeerStorage conformance: ${name}`, () => {
    let fixture: PeerStorageFixture;
    let store: PeerStorage;

    beforeEach(async () => {
      fixture = await make();
      store = fixture.storage;
    });

    afterEach(async () => {
      await store.close().catch(() => undefined);
      await fixture.cleanup();
    });

    /** Restarts the store when the setup can; otherwise keeps checking the live instance. */
    async function reopened(): Promise<PeerStorage> {
      if (!fixture.reopen) return store;
      await store.close();
      store = await fixture.reopen();
      return store;
    }

    describe("chunks", () => {
      it("load of a key never saved gives undefined, and loadRange on an empty store gives []", async () => {
        expect(await store.load(["AAAAA", "sync-state", "xxxxx"])).toBeUndefined();
        expect(await store.loadRange(["AAAAA"])).toStrictEqual([]);
        expect(await store.loadRange([])).toStrictEqual([]);
      });

      it("save then load gives back the same bytes, as a plain Uint8Array", async () => {
        await store.save(["doc", "snapshot", "h1"], bytes(0, 1, 127, 128, 255));
        const out = await store.load(["doc", "snapshot", "h1"]);
        expectPlainBytes(out);
        expect(out).toStrictEqual(bytes(0, 1, 127, 128, 255));
        const [range] = await store.loadRange(["doc"]);
        expectPlainBytes(range?.data);
      });

      it("an empty value round-trips as an empty array, not as missing", async () => {
        await store.save(["empty"], new Uint8Array(0));
        expect(await store.load(["empty"])).toStrictEqual(new Uint8Array(0));
        expect(await store.loadRange(["empty"])).toStrictEqual([{ key: ["empty"], data: new Uint8Array(0) }]);
      });

      it("saving under an existing key overwrites it", async () => {
        await store.save(["doc", "sync-state", "x"], bytes(1));
        await store.save(["doc", "sync-state", "x"], bytes(2, 2));
        expect(await store.load(["doc", "sync-state", "x"])).toStrictEqual(bytes(2, 2));
        expect(await store.loadRange(["doc"])).toStrictEqual([{ key: ["doc", "sync-state", "x"], data: bytes(2, 2) }]);
      });

      it("keys stay distinct whatever their segments hold: case, path syntax, empty, long and non-ASCII segments", async () => {
        for (const [i, key] of AWKWARD_KEYS.entries()) await store.save(key, bytes(i, i, i));
        for (const [i, key] of AWKWARD_KEYS.entries()) expect(await store.load(key), JSON.stringify(key)).toStrictEqual(bytes(i, i, i));
        const all = AWKWARD_KEYS.map((key, i) => ({ key, data: bytes(i, i, i) }));
        expect(sorted(await store.loadRange([]))).toStrictEqual(sorted(all));
        expect(sorted(await store.loadRange(["a"]))).toStrictEqual(sorted(all.filter((c) => c.key[0] === "a")));
        expect(sorted(await store.loadRange([""]))).toStrictEqual(sorted(all.filter((c) => c.key[0] === "")));
      });

      it("a key can be both a chunk and the prefix of other chunks", async () => {
        await store.save(["a"], bytes(1));
        await store.save(["a", "b"], bytes(2));
        await store.save(["a", "b", "c"], bytes(3));
        expect(await store.load(["a"])).toStrictEqual(bytes(1));
        expect(await store.load(["a", "b"])).toStrictEqual(bytes(2));
        expect(sorted(await store.loadRange(["a", "b"]))).toStrictEqual([
          { key: ["a", "b"], data: bytes(2) },
          { key: ["a", "b", "c"], data: bytes(3) },
        ]);
      });

      it("loadRange returns exactly the chunks whose key starts with the prefix, compared segment by segment", async () => {
        await store.save(["AAAAA", "sync-state", "xxxxx"], bytes(1));
        await store.save(["AAAAA", "snapshot", "yyyyy"], bytes(2));
        await store.save(["AAAAA", "sync-state", "zzzzz"], bytes(3));
        await store.save(["AAAAA"], bytes(4));
        await store.save(["AAAAAB", "snapshot", "yyyyy"], bytes(5));
        await store.save(["AAAA", "snapshot"], bytes(6));
        await store.save(["BBBBB", "AAAAA"], bytes(7));
        await store.save(["AAAAA", "sync-stateX", "q"], bytes(8));
        expect(sorted(await store.loadRange(["AAAAA"]))).toStrictEqual([
          { key: ["AAAAA"], data: bytes(4) },
          { key: ["AAAAA", "snapshot", "yyyyy"], data: bytes(2) },
          { key: ["AAAAA", "sync-state", "xxxxx"], data: bytes(1) },
          { key: ["AAAAA", "sync-state", "zzzzz"], data: bytes(3) },
          { key: ["AAAAA", "sync-stateX", "q"], data: bytes(8) },
        ]);
        expect(sorted(await store.loadRange(["AAAAA", "sync-state"]))).toStrictEqual([
          { key: ["AAAAA", "sync-state", "xxxxx"], data: bytes(1) },
          { key: ["AAAAA", "sync-state", "zzzzz"], data: bytes(3) },
        ]);
        expect(await store.loadRange(["AAAAA", "sync-state", "zzzzz"])).toStrictEqual([{ key: ["AAAAA", "sync-state", "zzzzz"], data: bytes(3) }]);
        expect(await store.loadRange(["AAAAA", "sync-state", "zzzzz", "deeper"])).toStrictEqual([]);
        expect(await store.loadRange(["CCCCC"])).toStrictEqual([]);
        expect(await store.loadRange([])).toHaveLength(8);
      });

      it("remove deletes only that key, not the keys it is a prefix of; removing a missing key does nothing", async () => {
        await store.save(["a"], bytes(1));
        await store.save(["a", "b"], bytes(2));
        await store.remove(["a"]);
        await store.remove(["never", "saved"]);
        expect(await store.load(["a"])).toBeUndefined();
        expect(await store.loadRange(["a"])).toStrictEqual([{ key: ["a", "b"], data: bytes(2) }]);
        await store.remove(["a", "b"]);
        expect(await store.loadRange([])).toStrictEqual([]);
      });

      it("removeRange removes the prefix's chunks, the exact key included, and nothing else", async () => {
        await store.save(["AAAAA"], bytes(0));
        await store.save(["AAAAA", "sync-state", "xxxxx"], bytes(1));
        await store.save(["AAAAA", "snapshot", "yyyyy"], bytes(2));
        await store.save(["AAAAA", "sync-state", "zzzzz"], bytes(3));
        await store.save(["AAAAAB", "sync-state", "zzzzz"], bytes(4));
        await store.save(["BBBBB", "sync-state", "zzzzz"], bytes(5));
        await store.removeRange(["AAAAA", "sync-state"]);
        expect(sorted(await store.loadRange(["AAAAA"]))).toStrictEqual([
          { key: ["AAAAA"], data: bytes(0) },
          { key: ["AAAAA", "snapshot", "yyyyy"], data: bytes(2) },
        ]);
        await store.removeRange(["AAAAA"]);
        await store.removeRange(["nothing", "here"]);
        expect(sorted(await store.loadRange([]))).toStrictEqual([
          { key: ["AAAAAB", "sync-state", "zzzzz"], data: bytes(4) },
          { key: ["BBBBB", "sync-state", "zzzzz"], data: bytes(5) },
        ]);
        await store.save(["AAAAA", "snapshot", "again"], bytes(6));
        expect(await store.load(["AAAAA", "snapshot", "again"])).toStrictEqual(bytes(6));
      });

      it("removeRange([]) removes every chunk and leaves the sync state alone", async () => {
        await store.save(["a", "1"], bytes(1));
        await store.save(["b"], bytes(2));
        await store.commit({ cursor: 5, outboxAdd: [entry("e1")] });
        await store.removeRange([]);
        expect(await store.loadRange([])).toStrictEqual([]);
        const sync = await store.loadSync();
        expect(sync.cursor).toBe(5);
        expect(ids(sync)).toEqual(["e1"]);
      });

      it("stored values are copies: changing the saved array or a loaded one changes nothing stored", async () => {
        const data = bytes(1, 2, 3);
        await store.save(["k"], data);
        data[0] = 99;
        const loaded = await store.load(["k"]);
        expect(loaded).toStrictEqual(bytes(1, 2, 3));
        if (loaded) loaded[1] = 99;
        const [ranged] = await store.loadRange(["k"]);
        if (ranged?.data) ranged.data[2] = 99;
        expect(await store.load(["k"])).toStrictEqual(bytes(1, 2, 3));
      });

      it("a view into a larger buffer saves only its own bytes", async () => {
        const backing = bytes(10, 11, 12, 13, 14, 15);
        await store.save(["view"], backing.subarray(2, 4));
        const out = await store.load(["view"]);
        expect(out).toStrictEqual(bytes(12, 13));
        expect(out?.byteLength).toBe(2);
      });

      it("a value of a few MB round-trips exactly, through load and loadRange", async () => {
        const big = pseudoRandomBytes(3 * 1024 * 1024 + 7, 42);
        await store.save(["big", "snapshot", "h"], big);
        expectSameBytes(await store.load(["big", "snapshot", "h"]), big);
        const range = await store.loadRange(["big"]);
        expect(range.map((c) => c.key)).toStrictEqual([["big", "snapshot", "h"]]);
        expectSameBytes(range[0]?.data, big);
      });

      it("many concurrent saves of different documents all land", async () => {
        const keys = Array.from({ length: 200 }, (_, i) => [`doc${i % 20}`, "incremental", `h${i}`]);
        await Promise.all(keys.map((key, i) => store.save(key, bytes(i & 0xff))));
        expect(await store.loadRange([])).toHaveLength(200);
        expect(await store.loadRange(["doc3"])).toHaveLength(10);
        await Promise.all(keys.slice(0, 100).map((key) => store.remove(key)));
        expect(await store.loadRange([])).toHaveLength(100);
      });
    });

    describe("sync state", () => {
      it("a new store has cursor 0, no document states, an empty outbox and no meta", async () => {
        expect(await store.loadSync()).toStrictEqual({ cursor: 0, docs: new Map(), outbox: [], meta: new Map() });
      });

      it("a commit sets the cursor, and a commit without one keeps it", async () => {
        await store.commit({ cursor: 17 });
        expect((await store.loadSync()).cursor).toBe(17);
        await store.commit({ meta: [["k", bytes(1)]] });
        expect((await store.loadSync()).cursor).toBe(17);
        await store.commit({ cursor: 2 ** 40 });
        expect((await store.loadSync()).cursor).toBe(2 ** 40);
      });

      it("document states are inserted, replaced and dropped; dropping an unknown id does nothing", async () => {
        await store.commit({
          docs: [
            ["d1", docState(1)],
            ["d2", docState(2)],
          ],
        });
        await store.commit({ docs: [["d1", docState(11, { deleted: true })]], dropDocs: ["d2", "unknown"] });
        expect((await store.loadSync()).docs).toStrictEqual(new Map([["d1", docState(11, { deleted: true })]]));
      });

      it("an upsert and a drop of the same document in one commit leave it dropped", async () => {
        await store.commit({ docs: [["d1", docState(1)]] });
        await store.commit({ docs: [["d1", docState(2)]], dropDocs: ["d1"] });
        expect((await store.loadSync()).docs.size).toBe(0);
      });

      it("the outbox keeps insertion order across commits and removals", async () => {
        await store.commit({ outboxAdd: [entry("e1"), entry("e2")] });
        await store.commit({ outboxAdd: [entry("e3")] });
        await store.commit({ outboxRemove: ["e2", "unknown"], outboxAdd: [entry("e4"), entry("e0")] });
        expect(ids(await store.loadSync())).toEqual(["e1", "e3", "e4", "e0"]);
        await store.commit({ outboxRemove: ["e1"] });
        expect(ids(await store.loadSync())).toEqual(["e3", "e4", "e0"]);
      });

      it("removing and adding an id in one commit moves it to the end; adding a present id replaces it in place", async () => {
        await store.commit({ outboxAdd: [entry("e1"), entry("e2"), entry("e3")] });
        await store.commit({ outboxRemove: ["e1"], outboxAdd: [entry("e1", { body: bytes(1) })] });
        expect(ids(await store.loadSync())).toEqual(["e2", "e3", "e1"]);
        await store.commit({ outboxAdd: [entry("e3", { kind: "snapshot", covers: 12, body: bytes(3) })] });
        const sync = await store.loadSync();
        expect(ids(sync)).toEqual(["e2", "e3", "e1"]);
        expect(sync.outbox[1]).toStrictEqual(entry("e3", { kind: "snapshot", covers: 12, body: bytes(3) }));
      });

      it("meta values are set, overwritten and deleted with null", async () => {
        await store.commit({
          meta: [
            ["a", bytes(1)],
            ["b", bytes(2)],
            ["c", new Uint8Array(0)],
          ],
        });
        await store.commit({
          meta: [
            ["a", bytes(9, 9)],
            ["b", null],
            ["missing", null],
          ],
        });
        const { meta } = await store.loadSync();
        expect(meta).toStrictEqual(
          new Map([
            ["a", bytes(9, 9)],
            ["c", new Uint8Array(0)],
          ]),
        );
        for (const value of meta.values()) expectPlainBytes(value);
      });

      it("every field round-trips exactly, with optional fields absent when not given", async () => {
        const full = entry("full", { kind: "snapshot", covers: 0, createdAt: 1_700_000_000_123, stream: pseudoRandomBytes(16, 7) });
        const plain = entry("plain");
        const withDeleted = docState(3, { deleted: false });
        await store.commit({
          cursor: 3,
          docs: [
            ["d3", withDeleted],
            ["d4", docState(4)],
          ],
          outboxAdd: [full, plain],
          meta: [["m", bytes(0, 255)]],
        });
        const sync = await reopened().then((s) => s.loadSync());
        expect(sync).toStrictEqual({
          cursor: 3,
          docs: new Map([
            ["d3", withDeleted],
            ["d4", docState(4)],
          ]),
          outbox: [full, plain],
          meta: new Map([["m", bytes(0, 255)]]),
        });
        expect("covers" in (sync.outbox[1] ?? {})).toBe(false);
        expect("deleted" in (sync.docs.get("d4") ?? {})).toBe(false);
        for (const e of sync.outbox) {
          expectPlainBytes(e.body);
          expectPlainBytes(e.stream);
        }
        for (const d of sync.docs.values()) expectPlainBytes(d.stream);
      });

      it("loadSync returns a copy: changing it, or the objects given to commit, changes nothing stored", async () => {
        const e = entry("e1");
        const d = docState(1);
        await store.commit({ docs: [["d1", d]], outboxAdd: [e], meta: [["m", bytes(1)]] });
        e.body[0] = 0;
        d.knownHeads.push("mutated");
        const first = await store.loadSync();
        first.outbox[0]?.body.fill(0);
        first.outbox.pop();
        first.docs.clear();
        first.meta.get("m")?.fill(7);
        expect(await store.loadSync()).toStrictEqual({
          cursor: 0,
          docs: new Map([["d1", docState(1)]]),
          outbox: [entry("e1")],
          meta: new Map([["m", bytes(1)]]),
        });
      });

      it("an empty commit changes nothing", async () => {
        await store.commit({ cursor: 4, outboxAdd: [entry("e1")] });
        await store.commit({});
        await store.commit({ docs: [], dropDocs: [], outboxAdd: [], outboxRemove: [], meta: [] });
        const sync = await reopened().then((s) => s.loadSync());
        expect(sync.cursor).toBe(4);
        expect(ids(sync)).toEqual(["e1"]);
      });

      it("a malformed commit rejects with a TypeError and applies none of its parts", async () => {
        await store.commit({ cursor: 1, outboxAdd: [entry("e1")] });
        const bad = {
          cursor: 9,
          docs: [["d1", docState(1)]],
          outboxRemove: ["e1"],
          outboxAdd: [entry("e2"), { ...entry("e3"), body: "not bytes" }],
          meta: [["m", bytes(1)]],
        } as unknown as SyncTx;
        await expect(store.commit(bad)).rejects.toBeInstanceOf(TypeError);
        await expect(store.commit({ cursor: -1 })).rejects.toBeInstanceOf(TypeError);
        await expect(store.commit({ meta: [["k", "text" as unknown as Uint8Array]] })).rejects.toBeInstanceOf(TypeError);
        const after = { cursor: 1, docs: new Map(), outbox: [entry("e1")], meta: new Map() };
        expect(await store.loadSync()).toStrictEqual(after);
        expect(await (await reopened()).loadSync()).toStrictEqual(after);
      });

      it("commits called without waiting apply in call order", async () => {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.commit({ cursor: i, outboxAdd: [entry(`e${i}`)], ...(i % 2 === 1 ? { outboxRemove: [`e${i - 1}`] } : {}) }),
          ),
        );
        const sync = await store.loadSync();
        expect(sync.cursor).toBe(99);
        expect(ids(sync)).toEqual(Array.from({ length: 50 }, (_, k) => `e${2 * k + 1}`));
      });

      it("an outbox entry of a few MB round-trips exactly, and so does a large meta value", async () => {
        const body = pseudoRandomBytes(4 * 1024 * 1024, 99);
        const meta = pseudoRandomBytes(1024 * 1024, 5);
        await store.commit({ outboxAdd: [entry("big", { body })], meta: [["big", meta]] });
        await store.commit({ outboxAdd: [entry("small")] });
        const sync = await reopened().then((s) => s.loadSync());
        expect(ids(sync)).toEqual(["big", "small"]);
        const { body: storedBody, ...rest } = sync.outbox[0] as OutboxEntry;
        const { body: _, ...expected } = entry("big", { body });
        expect(rest).toStrictEqual(expected);
        expectSameBytes(storedBody, body);
        expectSameBytes(sync.meta.get("big"), meta);
      });

      it("2,000 small commits finish in a few seconds at most, and all of them persist", async () => {
        const started = Date.now();
        for (let i = 0; i < 2000; i++) {
          await store.commit({
            cursor: i + 1,
            docs: [[`d${i % 50}`, docState(i)]],
            outboxAdd: [entry(`e${i}`)],
            ...(i >= 10 ? { outboxRemove: [`e${i - 10}`] } : {}),
          });
        }
        const elapsed = Date.now() - started;
        expect(elapsed, `2,000 commits took ${elapsed} ms`).toBeLessThan(8000);
        const sync = await reopened().then((s) => s.loadSync());
        expect(sync.cursor).toBe(2000);
        expect(sync.docs.size).toBe(50);
        expect(sync.docs.get("d49")).toStrictEqual(docState(1999));
        expect(ids(sync)).toEqual(Array.from({ length: 10 }, (_, k) => `e${1990 + k}`));
      }, 30_000);
    });

    describe("durability across a reopen", () => {
      it("after a reopen, chunks and sync state equal those after the last commit", async () => {
        await store.save(["doc", "snapshot", "h"], bytes(1, 2));
        await store.save(["doc", "incremental", "i"], bytes(3));
        await store.remove(["doc", "incremental", "i"]);
        await store.commit({ cursor: 8, docs: [["d", docState(8)]], outboxAdd: [entry("e1"), entry("e2")], meta: [["m", bytes(4)]] });
        await store.commit({ outboxRemove: ["e1"], outboxAdd: [entry("e3")] });
        const before = await store.loadSync();
        const again = await reopened();
        expect(await again.loadSync()).toStrictEqual(before);
        expect(await again.loadRange([])).toStrictEqual([{ key: ["doc", "snapshot", "h"], data: bytes(1, 2) }]);
      });

      it("a reopened store keeps working, and what it commits survives the next reopen", async () => {
        await store.commit({ cursor: 1, outboxAdd: [entry("e1")] });
        const second = await reopened();
        await second.commit({ cursor: 2, outboxAdd: [entry("e2")] });
        await second.save(["k"], bytes(2));
        const third = await reopened();
        const sync = await third.loadSync();
        expect(sync.cursor).toBe(2);
        expect(ids(sync)).toEqual(["e1", "e2"]);
        expect(await third.load(["k"])).toStrictEqual(bytes(2));
      });
    });

    describe("as an automerge-repo store through PeerStorageAdapter", () => {
      it("a document created in one Repo is found with the same content by a new Repo over the same store", async () => {
        type Note = { title: string; items: number[] };
        const first = new Repo({ storage: new PeerStorageAdapter(store), network: [] });
        const handle = first.create<Note>({ title: "hello", items: [1, 2, 3] });
        handle.change((d) => {
          d.items.push(4);
          d.title = "hello again";
        });
        await first.flush();
        await first.shutdown();
        expect((await store.loadRange([handle.documentId])).length).toBeGreaterThan(0);

        const second = new Repo({ storage: new PeerStorageAdapter(await reopened()), network: [] });
        const found = await second.find<Note>(handle.url);
        expect(found.doc()).toEqual({ title: "hello again", items: [1, 2, 3, 4] });
        await second.shutdown();
      });
    });

    describe("clear and close", () => {
      it("clear deletes every chunk and the whole sync state, and the store stays usable", async () => {
        await store.save(["doc", "snapshot", "h"], bytes(1));
        await store.commit({ cursor: 5, docs: [["d", docState(5)]], outboxAdd: [entry("e1")], meta: [["m", bytes(1)]] });
        await store.clear();
        const empty = { cursor: 0, docs: new Map(), outbox: [], meta: new Map() };
        expect(await store.loadSync()).toStrictEqual(empty);
        expect(await store.loadRange([])).toStrictEqual([]);
        expect(await (await reopened()).loadSync()).toStrictEqual(empty);
        expect(await store.load(["doc", "snapshot", "h"])).toBeUndefined();
        await store.commit({ cursor: 1, outboxAdd: [entry("after")] });
        await store.save(["doc"], bytes(2));
        const sync = await (await reopened()).loadSync();
        expect(sync.cursor).toBe(1);
        expect(ids(sync)).toEqual(["after"]);
        expect(await store.load(["doc"])).toStrictEqual(bytes(2));
      });

      it("after close, every method rejects, and closing again does not throw", async () => {
        await store.close();
        await store.close();
        await expect(store.load(["k"])).rejects.toThrow();
        await expect(store.save(["k"], bytes(1))).rejects.toThrow();
        await expect(store.remove(["k"])).rejects.toThrow();
        await expect(store.loadRange([])).rejects.toThrow();
        await expect(store.removeRange([])).rejects.toThrow();
        await expect(store.loadSync()).rejects.toThrow();
        await expect(store.commit({ cursor: 1 })).rejects.toThrow();
        await expect(store.clear()).rejects.toThrow();
      });
    });
  });
}
