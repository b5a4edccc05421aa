import { describe, expect, it } from "vitest";
import { deriveDocumentId } from "./deriveDocumentId.js";
import { imm, str } from "./Imm.js";
import { MemoryDocStore } from "./MemoryDocStore.js";
import { runDocStoreConformance } from "./runDocStoreConformance.js";

interface Note {
  title: ReturnType<typeof imm>;
  items: Record<string, number>;
}
const note = (): Note => ({ title: imm("n"), items: {} });

describe("MemoryDocStore", () => {
  it("creates, finds and tombstones documents", async () => {
    const store = new MemoryDocStore();
    const handle = store.create<Note>(note());
    expect(str((await store.find<Note>(handle.documentId)).doc().title)).toBe("n");
    await store.tombstone(handle.documentId);
    expect(store.has(handle.documentId)).toBe(false);
    await expect(store.find(handle.documentId)).rejects.toThrow(/deleted/);
  });

  it("ensures a derived document once and returns the same handle after", async () => {
    const store = new MemoryDocStore();
    const id = deriveDocumentId("note:1");
    const first = await store.ensure<Note>(id, note);
    first.change((d) => {
      d.items.a = 1;
    });
    const again = await store.ensure<Note>(id, note);
    expect(again.doc().items).toEqual({ a: 1 });
  });

  it("ensures a document that an earlier find did not find", async () => {
    const store = new MemoryDocStore();
    const id = deriveDocumentId("note:late");
    await expect(store.find(id)).rejects.toThrow(/unavailable/);
    const handle = await store.ensure<Note>(id, note);
    expect(handle.isReady()).toBe(true);
    expect(await store.find<Note>(id)).toBe(handle);
  });

  it("merges two devices' offline copies of a derived document with syncFrom", async () => {
    const a = new MemoryDocStore();
    const b = new MemoryDocStore();
    const id = deriveDocumentId("note:shared");
    (await a.ensure<Note>(id, note)).change((d) => void (d.items.a = 1));
    (await b.ensure<Note>(id, note)).change((d) => void (d.items.b = 2));
    a.syncFrom(b);
    b.syncFrom(a);
    expect((await a.find<Note>(id)).doc().items).toEqual({ a: 1, b: 2 });
    expect((await b.find<Note>(id)).doc().items).toEqual({ a: 1, b: 2 });
  });

  it("carries new documents and tombstones across with syncFrom", async () => {
    const a = new MemoryDocStore();
    const b = new MemoryDocStore();
    const kept = a.create<Note>(note());
    const dropped = a.create<Note>(note());
    await a.tombstone(dropped.documentId);
    b.syncFrom(a);
    expect(b.has(kept.documentId)).toBe(true);
    expect(b.has(dropped.documentId)).toBe(false);
  });
});

runDocStoreConformance("MemoryDocStore", { make: () => new MemoryDocStore() });
