import { describe, expect, it } from "vitest";
import { Backoff } from "../src/sync/Backoff.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import { isLive, until } from "./peers.js";
import { RELAYS } from "./relays.js";

interface Notes {
  items: Record<string, number>;
}

// A relay that stops and starts again on its data: the process itself, and MemoryRelay's model of it.
describe.each(RELAYS)("a relay that restarts (%s)", (_name, fixture) => {
  const fx = fixture();

  it("reconnects with backoff after the relay restarts, and sends what was queued meanwhile", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token, { backoff: new Backoff(50, 400) });
    await a.engine.unlock("restart pass");
    await until(() => isLive(a), "a live");
    const doc = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();

    const stopping = fx.restart();
    await until(() => a.engine.getStatus().state === ConnectionState.offline || a.engine.getStatus().state === ConnectionState.connecting, "a offline");
    doc.change((d) => {
      d.items["while the relay was down"] = 1;
    });
    await stopping;
    await until(() => isLive(a), "a back live on the restarted relay", 15_000);
    expect(a.logs.some((l) => /reconnecting in \d+ ms/.test(l.msg))).toBe(true);
    await a.engine.whenIdle();
    const b = await fx.peer(token);
    await b.engine.unlock("restart pass");
    await until(() => isLive(b), "b live");
    expect((await b.engine.find<Notes>(doc.documentId)).doc().items).toEqual({ "while the relay was down": 1 });
  });

  it("a first start with a passphrase but an unreachable relay keeps retrying and unlocks once the relay is back", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock("first start");
    await until(() => isLive(a), "a live");
    await a.engine.stop();
    await fx.stop();
    // A new device: no vault known locally, the relay away when it is given the passphrase.
    const b = await fx.peer(token, { backoff: new Backoff(50, 200) });
    const unlocked = b.engine.unlock("first start");
    await until(() => b.logs.filter((l) => l.msg.startsWith("reconnecting")).length >= 2, "b retries while the relay is away");
    await fx.restart();
    await unlocked;
    await until(() => isLive(b), "b live once the relay is back");
  });
});
