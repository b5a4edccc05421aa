import { describe, expect, it } from "vitest";
import { KeyedLock } from "./KeyedLock.js";

function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => undefined as void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe("KeyedLock", () => {
  it("runs tasks of one key one after the other, in the order asked", async () => {
    const locks = new KeyedLock();
    const seen: string[] = [];
    const first = gate();
    const a = locks.run("k", async () => {
      seen.push("a starts");
      await first.opened;
      seen.push("a ends");
    });
    const b = locks.run("k", async () => {
      seen.push("b runs");
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(["a starts"]);
    first.open();
    await Promise.all([a, b]);
    expect(seen).toEqual(["a starts", "a ends", "b runs"]);
    expect(locks.size).toBe(0);
  });

  it("runs tasks of different keys side by side", async () => {
    const locks = new KeyedLock();
    const held = gate();
    const a = locks.run("k1", () => held.opened);
    expect(await locks.run("k2", async () => "done")).toBe("done");
    held.open();
    await a;
  });

  it("a task that fails gives its error to its caller and does not stop the next one", async () => {
    const locks = new KeyedLock();
    const failing = locks.run("k", async () => {
      throw new Error("boom");
    });
    const next = locks.run("k", async () => 42);
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe(42);
    expect(locks.size).toBe(0);
  });
});
