import * as A from "@automerge/automerge";
import { Repo, type DocHandle, type DocumentId } from "@automerge/automerge-repo";
import { describe, expect, it } from "vitest";
import { MemoryPeerStorage } from "../storage/MemoryPeerStorage.js";
import { PeerStorageAdapter } from "../storage/PeerStorageAdapter.js";
import { chunkKey, flushReady, isDocChunk, listenerCount, repoHandle, unloadHandle } from "./repoInternals.js";

// Each test pins one thing the engine relies on in automerge-repo beyond its contract. When an
// upgrade fails one, repoInternals.ts is the file to change (and this test says what changed).

type Doc = { items: string[] };
const repoOver = (storage: MemoryPeerStorage) => new Repo({ storage: new PeerStorageAdapter(storage), network: [], sharePolicy: async () => false });

/** A valid document id that no storage holds. */
const newId = (): DocumentId => new Repo({ network: [] }).create<Doc>({ items: [] }).documentId;

async function saved(storage: MemoryPeerStorage, items: string[]): Promise<DocumentId> {
  const repo = repoOver(storage);
  const h = repo.create<Doc>({ items });
  await repo.flush();
  return h.documentId;
}

describe("automerge-repo, as the sync engine uses it", () => {
  it("loads a document from chunks written under chunkKey, any name, snapshot and incremental alike", async () => {
    const storage = new MemoryPeerStorage();
    let doc = A.from<Doc>({ items: ["a"] });
    const id = newId();
    const base = A.save(doc);
    const heads = A.getHeads(doc);
    doc = A.change(doc, (d) => d.items.push("b"));
    await storage.save(chunkKey(id, "snapshot", "relay-1"), base);
    await storage.save(chunkKey(id, "update", "relay-2"), A.saveSince(doc, heads));
    const h = await repoOver(storage).find<Doc>(id);
    expect(h.doc().items).toEqual(["a", "b"]);
  });

  it("keeps a document's chunks under [id, kind, …] with kinds that isDocChunk knows (and nothing else without a network)", async () => {
    const storage = new MemoryPeerStorage();
    const id = await saved(storage, ["a"]);
    const keys = (await storage.loadRange([id])).map((c) => c.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key[0]).toBe(id);
      expect(isDocChunk(key)).toBe(true);
    }
    expect(isDocChunk([id, "sync-state", "x"])).toBe(false);
  });

  it("unloading with removeFromCache alone overwrites the stored document with an empty one; unloadHandle does not", async () => {
    // The hazard unloadHandle exists for: if this first half stops failing, the listener removal
    // may go (automerge-repo no longer saves on unload).
    const plain = new MemoryPeerStorage();
    const id1 = await saved(plain, ["kept?"]);
    const r1 = repoOver(plain);
    await r1.find<Doc>(id1);
    await r1.removeFromCache(id1);
    await new Promise((r) => setTimeout(r, 200));
    const lost = await repoOver(plain)
      .find<Doc>(id1)
      .then((h) => h.doc().items ?? [])
      .catch(() => []);
    expect(lost).not.toEqual(["kept?"]);

    const careful = new MemoryPeerStorage();
    const id2 = await saved(careful, ["kept"]);
    const r2 = repoOver(careful);
    await r2.find<Doc>(id2);
    await unloadHandle(r2, id2);
    await new Promise((r) => setTimeout(r, 200));
    expect(repoHandle(r2, id2)).toBeUndefined();
    expect((await repoOver(careful).find<Doc>(id2)).doc().items).toEqual(["kept"]);
  });

  it("throws on flushing or unloading a handle that never became ready; flushReady and unloadHandle leave it", async () => {
    const repo = repoOver(new MemoryPeerStorage());
    const id = newId();
    await expect(repo.find(id)).rejects.toThrow(/unavailable/);
    expect(repoHandle(repo, id)?.isReady()).toBe(false);
    await expect(repo.flush([id])).rejects.toThrow("DocHandle is not ready");
    await expect(repo.removeFromCache(id)).rejects.toThrow("DocHandle is not ready");
    await expect(flushReady(repo)).resolves.toBeUndefined();
    await expect(unloadHandle(repo, id)).resolves.toBeUndefined();
  });

  it("counts one more listener on a handle once a view listens to it", async () => {
    const storage = new MemoryPeerStorage();
    const id = await saved(storage, ["a"]);
    const h: DocHandle<Doc> = await repoOver(storage).find<Doc>(id);
    const own = listenerCount(h as DocHandle<unknown>);
    const view = () => undefined;
    h.on("change", view);
    expect(listenerCount(h as DocHandle<unknown>)).toBe(own + 1);
    h.off("change", view);
    expect(listenerCount(h as DocHandle<unknown>)).toBe(own);
  });
});
