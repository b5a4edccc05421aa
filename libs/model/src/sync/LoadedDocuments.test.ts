import * as A from "@automerge/automerge";
import { Repo, type DocHandle, type DocumentId } from "@automerge/automerge-repo";
import { describe, expect, it } from "vitest";
import { OpError } from "../ops/OpError.js";
import { MemoryPeerStorage } from "../storage/MemoryPeerStorage.js";
import { PeerStorageAdapter } from "../storage/PeerStorageAdapter.js";
import { LoadedDocuments } from "./LoadedDocuments.js";
import { newDocSyncState } from "./newDocSyncState.js";

type Doc = { items: string[] };

function setup(mergeChunksAfter = 32) {
  const storage = new MemoryPeerStorage();
  const changed: DocumentId[] = [];
  const adopted: [DocumentId, boolean][] = [];
  const docs = new LoadedDocuments({
    storage,
    mergeChunksAfter,
    changed: (id) => changed.push(id),
    adopted: (id, _h, created) => adopted.push([id, created]),
    log: () => undefined,
  });
  return { storage, docs, changed, adopted };
}

/** A document saved in `storage` as another run of this device left it, known to `docs`. */
async function stored(storage: MemoryPeerStorage, docs: LoadedDocuments, items: string[]): Promise<DocumentId> {
  const repo = new Repo({ storage: new PeerStorageAdapter(storage), network: [] });
  const h = repo.create<Doc>({ items });
  await repo.flush();
  docs.setState(h.documentId, newDocSyncState(new Uint8Array(32)));
  return h.documentId;
}

/** Another device's change to a document, as the bytes of an entry. */
function remoteChange(handle: DocHandle<Doc>, item: string): Uint8Array {
  const doc = A.clone(handle.doc());
  const heads = A.getHeads(doc);
  return A.saveSince(
    A.change(doc, (d) => d.items.push(item)),
    heads,
  );
}

describe("LoadedDocuments", () => {
  it("loads a document once however many ask at the same time, and says it was loaded (not created)", async () => {
    const { storage, docs, adopted } = setup();
    const id = await stored(storage, docs, ["a"]);
    const [h1, h2] = await Promise.all([docs.load(id), docs.load(id)]);
    expect(h1).toBe(h2);
    expect(docs.isLoaded(id)).toBe(true);
    expect(adopted).toEqual([[id, false]]);
  });

  it("reports local changes of a loaded document, and not the changes applied from another device", async () => {
    const { docs, changed, adopted } = setup();
    const h = docs.create<Doc>({ items: [] });
    expect(adopted).toEqual([[h.documentId, true]]);
    h.change((d) => d.items.push("mine"));
    expect(changed).toEqual([h.documentId]);
    const after = docs.applyRemote(h.documentId, remoteChange(h, "theirs"));
    expect((after as Doc).items).toEqual(["mine", "theirs"]);
    expect(changed).toEqual([h.documentId]);
  });

  it("makes a load wait for the chunk writes asked before it", async () => {
    const { storage, docs } = setup();
    const id = await stored(storage, docs, ["a"]);
    const other = await new Repo({ storage: new PeerStorageAdapter(storage), network: [] }).find<Doc>(id);
    const write = docs.storeEntry(id, "update", 7, remoteChange(other, "b"));
    const load = docs.load(id);
    await write;
    expect((await load).doc()).toEqual({ items: ["a", "b"] });
  });

  it("merges the loose chunks of a document that is not loaded into one, which loads the same", async () => {
    const { storage, docs } = setup(3);
    const id = await stored(storage, docs, ["a"]);
    const other = await new Repo({ storage: new PeerStorageAdapter(storage), network: [] }).find<Doc>(id);
    for (const [seq, item] of ["b", "c", "d"].entries()) {
      const data = remoteChange(other, item);
      other.update((d) => A.loadIncremental(d, data));
      await docs.storeEntry(id, "update", seq + 1, data);
    }
    const chunks = (await storage.loadRange([id])).filter((c) => c.key[1] === "snapshot" || c.key[1] === "incremental");
    expect(chunks).toHaveLength(1);
    expect((await docs.load(id)).doc()).toEqual({ items: ["a", "b", "c", "d"] });
  });

  it("lets go of a handle at once on unload, keeps what is stored, and loads it again later", async () => {
    const { storage, docs } = setup();
    const id = await stored(storage, docs, ["a"]);
    await docs.load(id);
    const unloading = docs.unload(id);
    expect(docs.isLoaded(id)).toBe(false);
    const again = docs.load(id);
    await unloading;
    expect((await again).doc()).toEqual({ items: ["a"] });
  });

  it("drops a document while it loads: the load is refused or let go of, and nothing of it stays", async () => {
    const { storage, docs } = setup();
    const id = await stored(storage, docs, ["a"]);
    const loading = docs.load(id).then(
      () => "let go of",
      (e: unknown) => (e instanceof OpError ? "refused" : String(e)),
    );
    await docs.drop(id);
    expect(["let go of", "refused"]).toContain(await loading);
    expect(docs.isLoaded(id)).toBe(false);
    expect(await storage.loadRange([id])).toEqual([]);
    await expect(docs.load(id)).rejects.toBeInstanceOf(OpError);
    await docs.storeChunks(id, [{ kind: "update", seq: 9, data: new Uint8Array([1]) }]);
    expect(await storage.loadRange([id])).toEqual([]);
  });

  it("drops a loaded document: its handle is let go of and its chunks removed", async () => {
    const { storage, docs } = setup();
    const id = await stored(storage, docs, ["a"]);
    const h = await docs.load(id);
    await docs.drop(id);
    expect(docs.isLoaded(id)).toBe(false);
    expect(h.isReady()).toBe(false);
    expect(await storage.loadRange([id])).toEqual([]);
  });

  it("keeps dirtiness and the pending mark per document", () => {
    const { docs } = setup();
    const a = docs.create<Doc>({ items: [] }).documentId;
    const b = docs.create<Doc>({ items: [] }).documentId;
    expect(docs.markDirty(a)).toBe(true);
    expect(docs.markDirty(a)).toBe(false);
    docs.markDirty(b);
    expect(docs.takeDirty(a)).toEqual([a]);
    expect(docs.isDirty(a)).toBe(false);
    expect(docs.takeDirty()).toEqual([b]);
    expect(docs.isMarked(a)).toBe(true);
    docs.setMarked(a, false);
    expect(docs.isMarked(a)).toBe(false);
  });

  it("orders loaded documents by last use and tells a watched handle from one only the engine holds", () => {
    const { docs } = setup();
    const a = docs.create<Doc>({ items: [] });
    const b = docs.create<Doc>({ items: [] });
    docs.touch(a.documentId);
    expect(docs.byLastUse().map(([id]) => id)).toEqual([b.documentId, a.documentId]);
    expect(docs.isWatched(b.documentId)).toBe(false);
    b.on("change", () => undefined);
    expect(docs.isWatched(b.documentId)).toBe(true);
  });
});
