import { describe, expect, it } from "vitest";
import { MemoryPeerStorage } from "./MemoryPeerStorage.js";
import { runPeerStorageConformance } from "./runPeerStorageConformance.js";

runPeerStorageConformance("MemoryPeerStorage", async () => {
  const storage = new MemoryPeerStorage();
  return { storage, reopen: async () => storage.reopen(), cleanup: async () => undefined };
});

describe("MemoryPeerStorage", () => {
  it("two stores never share data unless one is reopened from the other", async () => {
    const a = new MemoryPeerStorage();
    const b = new MemoryPeerStorage();
    await a.commit({ cursor: 3 });
    await a.save(["k"], new Uint8Array([1]));
    expect((await b.loadSync()).cursor).toBe(0);
    expect(await b.load(["k"])).toBeUndefined();
    expect((await a.reopen().loadSync()).cursor).toBe(3);
  });
});
