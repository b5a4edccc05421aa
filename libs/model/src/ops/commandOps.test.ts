import { describe, expect, it } from "vitest";
import { commandUseOf } from "../docs/commandUse.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { RootDoc } from "../docs/RootDoc.js";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import { noteCommandUse } from "./commandOps.js";
import { openRoot } from "./openDoc.js";
import { testDevice } from "./testWorkspace.js";

const T0 = 1_700_000_000_000;
const at = (n: number, t: number) => ({ ...testDevice(n), now: () => t });
const uses = async (store: MemoryDocStore) => commandUseOf((await openRoot(store)).doc());

describe("noteCommandUse", () => {
  it("counts the uses of each command, most used first, ties most recent first", async () => {
    const store = new MemoryDocStore();
    await noteCommandUse(store, at(1, T0), { command: "/help" });
    await noteCommandUse(store, at(1, T0 + 1), { command: "  /model   demo/fast " });
    await noteCommandUse(store, at(1, T0 + 2), { command: "/skills" });
    await noteCommandUse(store, at(1, T0 + 3), { command: "/model demo/fast" });
    expect(await uses(store)).toEqual([
      { command: "/model demo/fast", count: 2, last: T0 + 3 },
      { command: "/skills", count: 1, last: T0 + 2 },
      { command: "/help", count: 1, last: T0 },
    ]);
  });

  it("writes nothing for a text that is not a command", async () => {
    const store = new MemoryDocStore();
    expect(await noteCommandUse(store, at(1, T0), { command: "hello /help" })).toBe(false);
    expect(await noteCommandUse(store, at(1, T0), { command: "/help\nand more" })).toBe(false);
    expect(await noteCommandUse(store, at(1, T0), { command: `/${"x".repeat(100)}` })).toBe(false);
    expect(await uses(store)).toEqual([]);
  });

  it("uses on two devices at once add up once they sync, for a command both had already counted", async () => {
    const laptop = new MemoryDocStore();
    await noteCommandUse(laptop, at(1, T0), { command: "/help" });
    const phone = new MemoryDocStore();
    phone.syncFrom(laptop);
    await noteCommandUse(laptop, at(1, T0 + 1), { command: "/help" });
    await noteCommandUse(laptop, at(1, T0 + 2), { command: "/help" });
    await noteCommandUse(phone, at(2, T0 + 5), { command: "/help" });
    laptop.syncFrom(phone);
    phone.syncFrom(laptop);
    expect(await uses(laptop)).toEqual([{ command: "/help", count: 4, last: T0 + 5 }]);
    expect(await uses(phone)).toEqual(await uses(laptop));
    // And they go on adding up.
    await noteCommandUse(phone, at(2, T0 + 6), { command: "/help" });
    expect((await uses(phone))[0]!.count).toBe(5);
  });

  it("first uses on two devices that never synced add up too (each made the map and the entry)", async () => {
    const laptop = new MemoryDocStore();
    const phone = new MemoryDocStore();
    await noteCommandUse(laptop, at(1, T0), { command: "/help" });
    await noteCommandUse(laptop, at(1, T0 + 1), { command: "/skills" });
    await noteCommandUse(phone, at(2, T0 + 2), { command: "/help" });
    laptop.syncFrom(phone);
    phone.syncFrom(laptop);
    expect(await uses(laptop)).toEqual([
      { command: "/help", count: 2, last: T0 + 2 },
      { command: "/skills", count: 1, last: T0 + 1 },
    ]);
    await noteCommandUse(laptop, at(1, T0 + 3), { command: "/help" });
    phone.syncFrom(laptop);
    expect((await uses(phone))[0]).toEqual({ command: "/help", count: 3, last: T0 + 3 });
  });

  it("keeps at most 50 commands, forgetting the least used, then the longest unused", async () => {
    const store = new MemoryDocStore();
    await noteCommandUse(store, at(1, T0), { command: "/old" });
    await noteCommandUse(store, at(1, T0 + 1), { command: "/often" });
    await noteCommandUse(store, at(1, T0 + 2), { command: "/often" });
    for (let i = 0; i < 48; i++) await noteCommandUse(store, at(1, T0 + 10 + i), { command: `/c${i}` });
    expect(await uses(store)).toHaveLength(50);
    await noteCommandUse(store, at(1, T0 + 100), { command: "/new" });
    const after = await uses(store);
    expect(after).toHaveLength(50);
    expect(after.map((u) => u.command)).not.toContain("/old");
    expect(after.map((u) => u.command)).toContain("/new");
    expect(after[0]!.command).toBe("/often");
    expect(Object.keys((await store.find<RootDoc>(ROOT_DOC_ID)).doc().commands!)).toHaveLength(50);
  });
});
