import { describe, expect, it } from "vitest";
import { MemoryPeerStorage } from "../src/storage/MemoryPeerStorage.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { isLive, until } from "./peers.js";

/** Memory storage whose chunk writes wait while `hold` is set, so a test sees work in progress. */
class GatedStorage extends MemoryPeerStorage {
  hold = false;
  held = 0;
  private release: (() => void)[] = [];

  override async save(key: string[], data: Uint8Array): Promise<void> {
    if (this.hold) {
      this.held += 1;
      await new Promise<void>((r) => this.release.push(r));
    }
    return super.save(key, data);
  }

  open(): void {
    this.hold = false;
    for (const r of this.release.splice(0)) r();
  }
}

const fx = memoryRelayFixture();

describe("whenIdle", () => {
  it("waits for entries received from the relay but not yet applied, not only for its own outbox", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock("idle pass");
    const storage = new GatedStorage();
    const b = await fx.peer(token, { storage });
    await b.engine.unlock("idle pass");
    await until(() => isLive(a) && isLive(b), "both live");

    storage.hold = true;
    const doc = a.engine.create<{ n: number }>({ n: 1 });
    await a.engine.whenIdle();
    // b has the entry and is storing it: its chunk write is waiting.
    await until(() => storage.held > 0, "b storing the new document");
    let idle = false;
    const waiting = b.engine.whenIdle().then(() => {
      idle = true;
    });
    // One more round trip through b's storage queue, then look: still waiting for the write.
    await storage.loadSync();
    expect(idle).toBe(false);
    expect(b.engine.has(doc.documentId)).toBe(false);
    storage.open();
    await waiting;
    expect(b.engine.has(doc.documentId)).toBe(true);
    expect((await b.engine.find<{ n: number }>(doc.documentId)).doc().n).toBe(1);
  });
});
