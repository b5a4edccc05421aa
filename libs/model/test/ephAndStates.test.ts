import { describe, expect, it } from "vitest";
import { Backoff } from "../src/sync/Backoff.js";
import { ConnectionState, type SyncStatus } from "../src/sync/ConnectionState.js";
import type { EphEvent } from "../src/sync/SyncEngine.js";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { storedEntries } from "./relayLog.js";

interface Notes {
  items: Record<string, number>;
}

const fx = memoryRelayFixture();
const manualReconnect = () => new Backoff(60_000, 60_000);

describe("[K6] eph frames", () => {
  it("a token stream (run id + seq) reaches another peer in order, and a peer joining mid-stream sees the later frames", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock("eph pass");
    const b = await fx.peer(token);
    await b.engine.unlock("eph pass");
    await until(() => isLive(a) && isLive(b), "both live");
    const doc = a.engine.create<Notes>({ items: {} }).documentId;
    const seen = (events: EphEvent[]) => events.filter((e) => e.payload.type === "tokens").map((e) => e.payload["seq"] as number);
    const onB: EphEvent[] = [];
    b.engine.on("eph", (e) => onB.push(e));

    for (let seq = 0; seq < 30; seq++) expect(a.engine.sendEph(doc, { type: "tokens", run: "run-1", seq, text: `t${seq} ` })).toBe(true);
    await until(() => onB.length === 30, "b got the first 30 frames");

    const c = await fx.peer(token);
    await c.engine.unlock("eph pass");
    await until(() => isLive(c), "c live");
    const onC: EphEvent[] = [];
    c.engine.on("eph", (e) => onC.push(e));
    for (let seq = 30; seq < 60; seq++) a.engine.sendEph(doc, { type: "tokens", run: "run-1", seq, text: `t${seq} ` });
    await until(() => onB.length === 60 && onC.length === 30, "both got the rest");

    expect(seen(onB)).toEqual([...Array(60).keys()]);
    expect(seen(onC)).toEqual([...Array(30).keys()].map((n) => n + 30));
    expect(onC.every((e) => e.doc === doc && e.payload["run"] === "run-1")).toBe(true);
    // Never stored: the relay's log holds only the document's creation.
    expect(await storedEntries(fx, token)).toBe(1);
  });
});

describe("connection states", () => {
  it("offline with pending changes, then catch-up progress (applied / head) moving on a new device", async () => {
    const { token } = await fx.register();
    const opts = { backoff: manualReconnect(), snapshotAfterUpdates: 1_000_000, snapshotMinBytes: 1 << 30 };
    const a = await fx.peer(token, opts);
    await a.engine.unlock("progress pass");
    await until(() => isLive(a), "a live");
    const docs = [0, 1, 2, 3, 4].map(() => a.engine.create<Notes>({ items: {} }));
    await a.engine.whenIdle();

    a.engine.disconnect();
    expect(a.engine.getStatus().state).toBe(ConnectionState.offline);
    for (let n = 0; n < 450; n++) {
      docs[n % 5]!.change((d) => {
        d.items[`n${n}`] = n;
      });
      if (n % 5 === 4) await new Promise((r) => setTimeout(r, 12));
    }
    await until(() => a.engine.getStatus().pending >= 80, "offline changes queued");
    expect(a.engine.getStatus().state).toBe(ConnectionState.offline);
    const queued = a.engine.getStatus().pending;
    a.engine.reconnectNow();
    await a.engine.whenIdle();
    const stored = await storedEntries(fx, token);
    expect(stored).toBeGreaterThanOrEqual(5 + queued);

    const c = await fx.peer(token, { backoff: manualReconnect() });
    const seen: SyncStatus[] = [];
    c.engine.on("status", (s) => seen.push(structuredClone(s)));
    await c.engine.unlock("progress pass");
    await until(() => isLive(c), "c live");
    const catching = seen.filter((s) => s.state === ConnectionState.catchingUp);
    const applied = catching.map((s) => s.progress.applied);
    const head = catching.at(-1)!.progress.head;
    expect(head).toBeGreaterThanOrEqual(5 + queued);
    // Progress moves: several distinct values, never backwards, ending at every entry.
    expect(new Set(applied).size).toBeGreaterThan(2);
    expect([...applied].sort((x, y) => x - y)).toEqual(applied);
    expect(c.engine.getStatus().progress.applied).toBe(stored);
    for (const d of docs) expect(Object.keys((await c.engine.find<Notes>(d.documentId)).doc().items)).toHaveLength(90);
  });

  it("a revoked pairing token (4401) gives the error state, says the device is signed out, and no more reconnects", async () => {
    const { token } = await fx.register();
    const browser = await fx.peer(token);
    await browser.engine.unlock("revoke pass");
    await until(() => isLive(browser), "browser live");
    const pairing = await fx.createPairingToken(token, "to revoke");
    const plugin = await fx.peer(pairing.token, { backoff: new Backoff(20, 50) });
    await plugin.engine.unlock("revoke pass");
    await until(() => isLive(plugin), "plugin live");

    expect(await fx.revokePairingToken(token, pairing.id)).toBe(204);
    await until(() => plugin.engine.getStatus().state === ConnectionState.error, "plugin in error");
    expect(plugin.engine.getStatus().error).toMatch(/revoked/);
    expect(plugin.engine.getStatus().signedOut).toBe(true);
    const connects = plugin.logs.filter((l) => l.msg.startsWith("connecting")).length;
    await new Promise((res) => setTimeout(res, 200)); // several backoff periods: nothing may happen
    expect(plugin.logs.filter((l) => l.msg.startsWith("connecting")).length).toBe(connects);
    expect(plugin.engine.getStatus().state).toBe(ConnectionState.error);
  });

  it("a passphrase given while the relay's welcome finds the device locked (a remembered passphrase on reload) unlocks and goes live", async () => {
    const { token } = await fx.register();
    const first = await fx.peer(token);
    await first.engine.unlock("remembered");
    await until(() => isLive(first), "first live");
    const doc = first.engine.create<Notes>({ items: { kept: 1 } });
    await first.engine.whenIdle();
    // A reload: the vault is stored, the passphrase not given yet; it is given the moment the
    // welcome reports the device locked — before the engine closes that socket.
    const reloaded = fx.track(await first.restart());
    let welcomed = false;
    let given = false;
    reloaded.engine.on("log", (e) => {
      if (e.msg.startsWith("welcome:")) welcomed = true;
    });
    reloaded.engine.on("status", (st) => {
      if (welcomed && !given && st.state === ConnectionState.locked) {
        given = true;
        void reloaded.engine.unlock("remembered");
      }
    });
    await until(() => given, "the passphrase given on the welcome's locked status");
    await until(() => isLive(reloaded), "the reloaded device live");
    expect(reloaded.engine.getStatus().lock).toBeUndefined();
    expect((await reloaded.engine.find<Notes>(doc.documentId)).doc().items).toEqual({ kept: 1 });
  });
});
