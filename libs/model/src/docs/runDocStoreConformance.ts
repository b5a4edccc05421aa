import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { deriveDocumentId } from "./deriveDocumentId.js";
import { deterministicDoc } from "./deterministicDoc.js";
import type { DocStore } from "./DocStore.js";
import { imm, str } from "./Imm.js";
import { randomId } from "./ids.js";

/** How to get a fresh {@link DocStore} for each case, and how to close it after. */
export interface DocStoreFixture {
  make(): DocStore | Promise<DocStore>;
  close?(store: DocStore): void | Promise<void>;
}

interface Note {
  title: ReturnType<typeof imm>;
  items: Record<string, number>;
}
const note = (): Note => ({ title: imm("note"), items: {} });

/**
 * The behaviour every {@link DocStore} must have, as a vitest suite: run it from a test file of
 * each implementation with a fixture.
 *
 * @example
 * runDocStoreConformance("MemoryDocStore", { make: () => new MemoryDocStore() });
 */
export function runDocStoreConformance(name: string, fixture: DocStoreFixture): void {
  async function withStore(fn: (store: DocStore) => Promise<void>): Promise<void> {
    const store = await fixture.make();
    try {
      await fn(store);
    } finally {
      await fixture.close?.(store);
    }
  }

  describe(`${name} (DocStore conformance)`, () => {
    it("finds a document it created, with its initial content", () =>
      withStore(async (store) => {
        const created = store.create<Note>(note());
        const found = await store.find<Note>(created.documentId);
        expect(str(found.doc().title)).toBe("note");
      }));

    it("ensures a derived document from the deterministic first change", () =>
      withStore(async (store) => {
        const id = deriveDocumentId(`conformance:${randomId()}`);
        const handle = await store.ensure<Note>(id, note);
        expect(handle.documentId).toBe(id);
        expect(A.getHeads(handle.doc())).toEqual(A.getHeads(deterministicDoc(note())));
      }));

    it("ensures an existing document without replacing it", () =>
      withStore(async (store) => {
        const id = deriveDocumentId(`conformance:${randomId()}`);
        (await store.ensure<Note>(id, note)).change((d) => {
          d.items.kept = 1;
        });
        const again = await store.ensure<Note>(id, () => ({ title: imm("other"), items: {} }));
        expect(again.doc().items).toEqual({ kept: 1 });
        expect(str(again.doc().title)).toBe("note");
      }));

    it("writes later changes with the store's own actor, never the deterministic one", () =>
      withStore(async (store) => {
        const handle = await store.ensure<Note>(deriveDocumentId(`conformance:${randomId()}`), note);
        handle.change((d) => {
          d.items.x = 1;
        });
        expect(A.getActorId(handle.doc())).not.toBe("00".repeat(16));
      }));

    it("refuses a tombstoned document with an OpError 'deleted'", () =>
      withStore(async (store) => {
        const created = store.create<Note>(note());
        await store.tombstone(created.documentId);
        await expect(store.find(created.documentId)).rejects.toMatchObject({ name: "OpError", code: "deleted" });
      }));

    it("does not create a tombstoned derived document again: ensure rejects with an OpError 'deleted'", () =>
      withStore(async (store) => {
        const id = deriveDocumentId(`conformance:${randomId()}`);
        await store.ensure<Note>(id, note);
        await store.tombstone(id);
        await expect(store.ensure<Note>(id, note)).rejects.toMatchObject({ name: "OpError", code: "deleted" });
        await expect(store.find(id)).rejects.toMatchObject({ code: "deleted" });
      }));
  });
}
