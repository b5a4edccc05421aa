import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { IndexedDbPeerStorage } from "./IndexedDbPeerStorage.dom.js";
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

  it("without an IndexedDB, construction fails with a clear error", () => {
    const saved = globalThis.indexedDB;
    expect(saved).toBeUndefined();
    expect(() => new IndexedDbPeerStorage("x")).toThrow(/no IndexedDB/);
  });
});
