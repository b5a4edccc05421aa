import { describe, expect, it } from "vitest";
import type { DocHandle } from "@automerge/automerge-repo";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";

interface Note {
  n: number;
}

const fx = memoryRelayFixture();

describe("a bound on loaded documents", () => {
  it("lets go of the least recently used clean documents beyond maxLoadedDocuments, never of one a view listens to; they load again on find", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token, { maxLoadedDocuments: 3, evictAfterIdleMs: 50, compactQuietMs: 50 });
    await a.engine.unlock("evict pass");
    const b = await fx.peer(token);
    await b.engine.unlock("evict pass");
    await until(() => isLive(a) && isLive(b), "both live");

    const docs: DocHandle<Note>[] = [];
    for (let i = 0; i < 6; i++) docs.push(a.engine.create<Note>({ n: i }));
    // A view listens to the oldest one: it stays, however long unused.
    const seen: number[] = [];
    docs[0]!.on("change", ({ doc }) => seen.push(doc.n));
    await a.engine.whenIdle();
    const loaded = () => docs.filter((d) => a.engine.isLoaded(d.documentId));
    await until(() => loaded().length === 3, "a keeps three documents loaded");
    expect(loaded().map((d) => d.doc().n)).toEqual([0, 4, 5]);

    // The one listened to still follows remote changes; an evicted one gets them from storage.
    const remote: string[] = [];
    a.engine.on("remote", (id) => remote.push(id));
    await until(() => b.engine.has(docs[1]!.documentId) && b.engine.has(docs[0]!.documentId), "b has the documents");
    for (const i of [0, 1]) {
      (await b.engine.find<Note>(docs[i]!.documentId)).change((d) => {
        d.n += 10;
      });
    }
    await b.engine.whenIdle();
    await until(() => seen.includes(10), "the listened document got b's change");
    await until(() => remote.includes(docs[1]!.documentId), "a received b's change to an evicted document");
    await a.engine.whenIdle();
    expect(a.engine.isLoaded(docs[1]!.documentId)).toBe(false);
    const again = await a.engine.find<Note>(docs[1]!.documentId);
    expect(again.doc().n).toBe(11);
    expect(a.engine.isLoaded(docs[1]!.documentId)).toBe(true);
    await until(() => loaded().length <= 3, "back within the bound");
    expect(a.engine.isLoaded(docs[1]!.documentId)).toBe(true);
  });
});
