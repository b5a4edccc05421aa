import { IDBFactory, IDBIndex, IDBKeyRange, IDBObjectStore } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { IndexedDbPeerStorage } from "./IndexedDbPeerStorage.dom.js";
import type { DocSyncState, OutboxEntry, SyncTx } from "./PeerStorage.js";
import { runPeerStorageConformance } from "./runPeerStorageConformance.js";

runPeerStorageConformance("IndexedDbPeerStorage (fake-indexeddb)", async () => {
  const indexedDB = new IDBFactory();
  return {
    storage: await IndexedDbPeerStorage.open("botschat-test", { indexedDB, keyRange: IDBKeyRange }),
    reopen: () => IndexedDbPeerStorage.open("botschat-test", { indexedDB, keyRange: IDBKeyRange }),
    cleanup: async () => undefined,
  };
});

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe("IndexedDbPeerStorage", () => {
  it("keeps one database per name, with stores for chunks, documents, the outbox, meta and the cursor", async () => {
    const indexedDB = new IDBFactory();
    const alice = await IndexedDbPeerStorage.open("botschat-alice", { indexedDB, keyRange: IDBKeyRange });
    const bob = await IndexedDbPeerStorage.open("botschat-bob", { indexedDB, keyRange: IDBKeyRange });
    await alice.commit({ cursor: 7 });
    await alice.save(["doc"], bytes(1));
    expect((await bob.loadSync()).cursor).toBe(0);
    expect(await bob.load(["doc"])).toBeUndefined();
    expect((await indexedDB.databases()).map((d) => d.name).sort()).toEqual(["botschat-alice", "botschat-bob"]);
    await alice.close();
    await bob.close();
  });

  it("clear deletes the database, even while another connection to it is open", async () => {
    const indexedDB = new IDBFactory();
    const tab1 = await IndexedDbPeerStorage.open("botschat-w", { indexedDB, keyRange: IDBKeyRange });
    const tab2 = await IndexedDbPeerStorage.open("botschat-w", { indexedDB, keyRange: IDBKeyRange });
    await tab1.commit({ cursor: 3, outboxAdd: [{ id: "e1", doc: "d", stream: bytes(1), kind: "update", body: bytes(2), createdAt: 1 }] });
    await tab2.clear();
    expect(await indexedDB.databases()).toEqual([]);
    // The other connection stepped aside for the deletion and reopens on its next call.
    expect(await tab1.loadSync()).toStrictEqual({ cursor: 0, docs: new Map(), outbox: [], meta: new Map() });
    await tab1.close();
    await tab2.close();
  });

  it("commits made concurrently from two connections all land, in the order they were made", async () => {
    const indexedDB = new IDBFactory();
    const a = await IndexedDbPeerStorage.open("botschat-x", { indexedDB, keyRange: IDBKeyRange });
    const b = await IndexedDbPeerStorage.open("botschat-x", { indexedDB, keyRange: IDBKeyRange });
    const entry = (id: string) => ({ id, doc: "d", stream: bytes(1), kind: "update" as const, body: bytes(2), createdAt: 1 });
    await Promise.all([a.commit({ outboxAdd: [entry("a1")] }), b.commit({ outboxAdd: [entry("b1")] }), a.commit({ outboxAdd: [entry("a2")] })]);
    expect((await b.loadSync()).outbox.map((e) => e.id)).toEqual(["a1", "b1", "a2"]);
    await a.close();
    await b.close();
  });

  describe("a commit whose transaction fails midway", () => {
    const state = (n: number): DocSyncState => ({
      stream: bytes(n),
      knownHeads: [`h${n}`],
      lastSeq: n,
      updatesSinceSnapshot: n,
      updateBytesSinceSnapshot: n,
      snapshotBytes: n,
    });
    const entry = (id: string, n = 1): OutboxEntry => ({ id, doc: "d", stream: bytes(1), kind: "update", body: bytes(n), createdAt: 1 });
    /** Everything a commit may touch, written after docs and outbox were already written in the same transaction. */
    const big: SyncTx = {
      cursor: 9,
      docs: [
        ["d1", state(9)],
        ["d2", state(2)],
      ],
      dropDocs: ["d0"],
      outboxRemove: ["e0"],
      outboxAdd: [entry("e1", 9), entry("e2")],
      meta: [
        ["m", bytes(9)],
        ["gone", null],
      ],
    };

    async function withStore(fn: (s: IndexedDbPeerStorage) => Promise<void>): Promise<void> {
      const indexedDB = new IDBFactory();
      const s = await IndexedDbPeerStorage.open("botschat-fail", { indexedDB, keyRange: IDBKeyRange });
      await s.commit({
        cursor: 1,
        docs: [
          ["d0", state(0)],
          ["d1", state(1)],
        ],
        outboxAdd: [entry("e0"), entry("e1")],
        meta: [
          ["m", bytes(1)],
          ["gone", bytes(1)],
        ],
      });
      await fn(s);
      await s.close();
    }

    it("when a write throws (a full disk: QuotaExceededError), rejects, changes nothing, and the next commit works", () =>
      withStore(async (s) => {
        const before = await s.loadSync();
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
          if (this.name === "meta") throw new DOMException("the disk is full", "QuotaExceededError");
          return put.apply(this, args);
        };
        try {
          await expect(s.commit(big)).rejects.toThrow(/disk is full/);
        } finally {
          IDBObjectStore.prototype.put = put;
        }
        expect(await s.loadSync()).toStrictEqual(before);
        await s.commit(big);
        const after = await s.loadSync();
        expect(after.cursor).toBe(9);
        expect([...after.docs.keys()].sort()).toEqual(["d1", "d2"]);
        expect(after.outbox.map((e) => [e.id, e.body[0]])).toEqual([
          ["e1", 9],
          ["e2", 1],
        ]);
        expect([...after.meta]).toEqual([["m", bytes(9)]]);
      }));

    it("when a request fails after the others were queued (a ConstraintError), rejects and changes nothing", () =>
      withStore(async (s) => {
        const before = await s.loadSync();
        // The lookup of an outbox id misses, so adding e1 again breaks the unique index, asynchronously.
        const getKey = IDBIndex.prototype.getKey;
        IDBIndex.prototype.getKey = function (this: IDBIndex) {
          return getKey.call(this, "no such id");
        };
        try {
          await expect(s.commit(big)).rejects.toMatchObject({ name: "ConstraintError" });
        } finally {
          IDBIndex.prototype.getKey = getKey;
        }
        expect(await s.loadSync()).toStrictEqual(before);
        await s.commit({ cursor: 4 });
        expect((await s.loadSync()).cursor).toBe(4);
      }));
  });

  it("without an IndexedDB, construction fails with a clear error", () => {
    const saved = globalThis.indexedDB;
    expect(saved).toBeUndefined();
    expect(() => new IndexedDbPeerStorage("x")).toThrow(/no IndexedDB/);
  });
});
