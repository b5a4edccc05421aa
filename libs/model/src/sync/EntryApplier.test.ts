import * as A from "@automerge/automerge";
import { Repo, type DocumentId } from "@automerge/automerge-repo";
import { createVault, ready, sealEntry, streamIdFor, type VaultKeys } from "@botschat/crypto";
import type { EntryFrame } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryPeerStorage } from "../storage/MemoryPeerStorage.js";
import type { SyncTx } from "../storage/PeerStorage.js";
import { EntryApplier, META_STORED_HEADS } from "./EntryApplier.js";
import { envelopeDoc } from "./envelopeDoc.js";
import { LoadedDocuments } from "./LoadedDocuments.js";

type Doc = { items: string[] };
let keys: VaultKeys;
let otherKeys: VaultKeys;

beforeAll(async () => {
  await ready();
  keys = createVault("correct horse battery staple", { ops: 1, mem: 8 * 1024 }).keys;
  otherKeys = createVault("another workspace entirely", { ops: 1, mem: 8 * 1024 }).keys;
});

/** An applier over real documents and storage, with a host that records what it is told. */
function setup() {
  const storage = new MemoryPeerStorage();
  const docs = new LoadedDocuments({ storage, mergeChunksAfter: 32, changed: () => undefined, adopted: () => undefined, log: () => undefined });
  const commits: SyncTx[] = [];
  const told = { remote: [] as DocumentId[], placed: [] as string[], synced: [] as number[], applied: 0, takenOut: [] as DocumentId[], fatal: [] as unknown[] };
  const applier = new EntryApplier({
    docs,
    keys: () => keys,
    welcomed: () => true,
    takeOutLocal: (id) => told.takenOut.push(id),
    persist: async (tx) => {
      commits.push(tx);
      await storage.commit(tx);
    },
    progressed: (n) => (told.applied += n),
    synced: (head) => told.synced.push(head),
    remote: (id) => told.remote.push(id),
    placed: (id) => told.placed.push(id),
    fatal: (e) => told.fatal.push(e),
    log: () => undefined,
  });
  return { storage, docs, applier, commits, told };
}

/** Another device's document and the entries it appends, sealed. */
function author(k: () => VaultKeys = () => keys) {
  const repo = new Repo({ network: [] });
  const handle = repo.create<Doc>({ items: [] });
  const id = handle.documentId;
  let seq = 0;
  let heads: A.Heads = [];
  const stream = () => streamIdFor(k(), envelopeDoc(id));
  const frame = (kind: "update" | "snapshot", data?: Uint8Array, deleted = false): EntryFrame => {
    const body = deleted
      ? sealEntry(k(), { stream: stream(), kind: "snapshot", doc: envelopeDoc(id), deleted: true })
      : sealEntry(k(), { stream: stream(), kind, doc: envelopeDoc(id), data: data! });
    return { t: "entry", seq: 0, stream: stream(), kind, body, ts: Date.now() };
  };
  return {
    id,
    handle,
    /** The next entry: the changes since the last one (or the whole document, as a snapshot). */
    entry(kind: "update" | "snapshot" = "update", change?: (d: Doc) => void): EntryFrame {
      if (change) handle.change(change);
      const doc = handle.doc();
      const data = kind === "snapshot" ? A.save(doc) : A.saveSince(doc, heads);
      heads = A.getHeads(doc);
      return { ...frame(kind, data), seq: ++seq };
    },
    tombstone: (): EntryFrame => ({ ...frame("snapshot", undefined, true), seq: ++seq }),
    at: (f: EntryFrame, s: number): EntryFrame => ({ ...f, seq: s }),
  };
}

async function applied(applier: EntryApplier, ...frames: Parameters<EntryApplier["push"]>[0][]): Promise<void> {
  for (const f of frames) applier.push(f);
  await applier.whenApplied();
}

describe("EntryApplier", () => {
  it("applies entries to a loaded document in order, then commits the cursor with its state", async () => {
    const { docs, applier, commits, told } = setup();
    const a = author();
    const first = a.entry("snapshot", (d) => d.items.push("one"));
    await applied(applier, first);
    const handle = await docs.load(a.id);
    await applied(
      applier,
      a.entry("update", (d) => d.items.push("two")),
      { t: "synced", head: 2 },
    );
    expect(handle.doc()).toEqual({ items: ["one", "two"] });
    expect(applier.cursor).toBe(2);
    expect(commits.at(-1)!.cursor).toBe(2);
    expect(told.synced).toEqual([2]);
    expect(told.applied).toBe(2);
    // The device's own unsent changes go first, before each entry for a loaded document.
    expect(told.takenOut).toEqual([a.id]);
  });

  it("stores an entry for a known document that is not loaded, marks its stored heads, and clears the mark on load", async () => {
    const { docs, applier, commits, told } = setup();
    const a = author();
    await applied(
      applier,
      a.entry("snapshot", (d) => d.items.push("one")),
    );
    await applied(
      applier,
      a.entry("update", (d) => d.items.push("two")),
    );
    expect(docs.isLoaded(a.id)).toBe(false);
    expect(told.remote).toEqual([a.id, a.id]);
    // The mark went to storage on its own, before the first chunk, and once.
    expect(commits.filter((c) => c.meta !== undefined)).toEqual([{ meta: [[META_STORED_HEADS + a.id, new Uint8Array([1])]] }]);
    const handle = await docs.load(a.id);
    expect(handle.doc()).toEqual({ items: ["one", "two"] });
    expect(applier.loaded(a.id, handle.doc())).toEqual([META_STORED_HEADS + a.id, null]);
  });

  it("keeps changes whose history has not arrived aside, and the cursor to commit before them", async () => {
    const { docs, applier } = setup();
    const a = author();
    const snapshot = a.entry("snapshot", (d) => d.items.push("one"));
    const update = a.entry("update", (d) => d.items.push("two"));
    await applied(applier, a.at(update, 5));
    expect(docs.has(a.id)).toBe(false);
    expect(applier.cursor).toBe(5);
    expect(applier.durableCursor()).toBe(4);
    await applied(applier, a.at(snapshot, 6));
    expect(docs.has(a.id)).toBe(true);
    expect(applier.durableCursor()).toBe(6);
    expect((await docs.load(a.id)).doc()).toEqual({ items: ["one", "two"] });
  });

  it("skips an entry it cannot open (another workspace's keys) and moves on", async () => {
    const { docs, applier } = setup();
    const stranger = author(() => otherKeys);
    const a = author();
    await applied(
      applier,
      stranger.entry("snapshot", (d) => d.items.push("x")),
      a.at(
        a.entry("snapshot", (d) => d.items.push("ok")),
        2,
      ),
    );
    expect(docs.has(stranger.id)).toBe(false);
    expect(docs.has(a.id)).toBe(true);
    expect(applier.cursor).toBe(2);
  });

  it("forgets a document on its tombstone: state deleted, handle and chunks gone", async () => {
    const { storage, docs, applier, told } = setup();
    const a = author();
    await applied(
      applier,
      a.entry("snapshot", (d) => d.items.push("one")),
    );
    const handle = await docs.load(a.id);
    await applied(applier, a.tombstone());
    expect(docs.state(a.id)?.deleted).toBe(true);
    expect(docs.isLoaded(a.id)).toBe(false);
    expect(handle.isReady()).toBe(false);
    expect(await storage.loadRange([a.id])).toEqual([]);
    expect(told.remote.at(-1)).toBe(a.id);
  });

  it("takes an ack as its place in the order: the cursor moves past it and its waiter is told", async () => {
    const { applier, told } = setup();
    await applied(applier, { t: "acked", seq: 3, id: "append-1" });
    expect(applier.cursor).toBe(3);
    expect(told.placed).toEqual(["append-1"]);
  });

  it("applies an entry for a document being loaded to the loaded handle", async () => {
    const { docs, applier } = setup();
    const a = author();
    await applied(
      applier,
      a.entry("snapshot", (d) => d.items.push("one")),
    );
    const loading = docs.load(a.id);
    await applied(
      applier,
      a.entry("update", (d) => d.items.push("two")),
    );
    expect((await loading).doc()).toEqual({ items: ["one", "two"] });
  });
});
