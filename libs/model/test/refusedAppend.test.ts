import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { register } from "@botschat/relay-testkit";
import { LogCategory } from "../src/sync/SyncLog.js";
import { isLive, until } from "./peers.js";
import { relayFixture } from "./relayFixture.js";

// A relay that takes frames of at most 64 KiB: an update of 40 changes of 3 KB each is refused
// as too_large (it is under twice the limit, so the socket stays open).
const fx = relayFixture({ args: ["--frame-limit", "65536"] });

interface Notes {
  items: Record<string, string>;
}

describe("an update the relay refuses", () => {
  it("keeps its changes: they go again in parts the relay takes, and another device gets every one", async () => {
    const { token } = await register(fx.relay.url);
    const a = await fx.peer(token);
    await a.engine.unlock("correct horse battery staple");
    await until(() => isLive(a), "the first device live");
    const doc = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    // One debounce window: one update entry of ~120 KB.
    // Random text: Automerge compresses repetition away.
    for (let i = 0; i < 40; i++) doc.change((d) => (d.items[`n${i}`] = randomBytes(2250).toString("base64")));

    const b = await fx.peer(token);
    await b.engine.unlock("correct horse battery staple");
    await until(() => isLive(b), "the second device live");
    await until(() => a.logs.some((l) => /refused an? \w+ of .* in \d+ parts/.test(l.msg)), "the refused update sent again", 20_000).catch((e: unknown) => {
      throw new Error(
        `${String(e)}; the log: ${a.logs
          .slice(-12)
          .map((l) => `${l.cat} ${l.msg}`)
          .join(" | ")}`,
      );
    });
    const count = async (): Promise<number> =>
      b.engine.has(doc.documentId) ? Object.keys((await b.engine.find<Notes>(doc.documentId)).doc()?.items ?? {}).length : 0;
    for (let tries = 0; (await count()) < 40 && tries < 200; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(40);
    expect(a.logs.filter((l) => l.cat === LogCategory.error && /too_large/.test(l.msg)).length).toBeGreaterThan(0);
    expect(a.engine.getStatus().error).toBeUndefined();
  });

  it("holding one change larger than the relay takes, keeps it on the device and names its document as unsent", async () => {
    const { token } = await register(fx.relay.url);
    const a = await fx.peer(token);
    await a.engine.unlock("correct horse battery staple");
    await until(() => isLive(a), "the device live");
    const doc = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    doc.change((d) => (d.items["big"] = randomBytes(75_000).toString("base64")));
    await until(() => (a.engine.getStatus().unsent ?? []).includes(doc.documentId), "the document named as unsent", 20_000).catch((e: unknown) => {
      throw new Error(
        `${String(e)}; the log: ${a.logs
          .slice(-12)
          .map((l) => `${l.cat} ${l.msg}`)
          .join(" | ")}`,
      );
    });
    expect(a.engine.getStatus().error).toMatch(/too large for the relay .* stays on this device/);
    expect(a.logs.some((l) => l.cat === LogCategory.error && l.msg.includes(doc.documentId))).toBe(true);
    // Still there, on this device.
    expect((await a.engine.find<Notes>(doc.documentId)).doc()?.items["big"]?.length).toBe(100_000);
  });
});
