import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import { openEntry, streamIdFor } from "@botschat/crypto";
import { sameBytes } from "@botschat/relay-testkit";
import { ROOT_DOC_ID } from "../src/docs/ids.js";
import type { DeviceId, GatewayId, AgentId } from "../src/docs/ids.js";
import type { RootDoc } from "../src/docs/RootDoc.js";
import { str } from "../src/docs/Imm.js";
import { createChannel } from "../src/ops/channelOps.js";
import { openRoot } from "../src/ops/openDoc.js";
import { Backoff } from "../src/sync/Backoff.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { keysOf } from "./relayLog.js";
import { workspaceState } from "./workspaceState.js";

interface Counter {
  n: Record<string, number>;
}

const fx = memoryRelayFixture();
const device = (n: number) => ({ device: `d_test${n}` as DeviceId });
const channel = (name: string) => ({ name, gateway: "gw-home" as GatewayId, agentId: "main" as AgentId });
/** Reconnects only when a test says so. */
const manualReconnect = () => new Backoff(60_000, 60_000);

describe("a new device with only the passphrase", () => {
  it("two devices that create the root offline end up with one root holding both devices' channels, which a new device finds", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token, { backoff: manualReconnect() });
    await a.engine.unlock("root pass");
    const b = await fx.peer(token, { backoff: manualReconnect() });
    await b.engine.unlock("root pass");
    await until(() => isLive(a) && isLive(b), "both live");

    // Both go offline before either has a root, then both create it (deterministically) with a channel.
    a.engine.disconnect();
    b.engine.disconnect();
    await until(() => a.engine.getStatus().state === ConnectionState.offline && b.engine.getStatus().state === ConnectionState.offline, "both offline");
    const fromA = await createChannel(a.engine, device(1), channel("From A"));
    const fromB = await createChannel(b.engine, device(2), channel("From B"));
    a.engine.reconnectNow();
    b.engine.reconnectNow();
    await Promise.all([a.engine.whenIdle(), b.engine.whenIdle()]);
    const names = async (e: typeof a.engine) => {
      const root = (await e.find<RootDoc>(ROOT_DOC_ID)).doc()!;
      return Object.values(root.channels)
        .map((c) => str(c.name))
        .sort();
    };
    await until(() => a.engine.has(fromB.doc) && b.engine.has(fromA.doc), "each has the other's channel document");
    await until(() => headsOfRoot(a.engine) === headsOfRoot(b.engine), "one root");
    expect(await names(a.engine)).toEqual(["From A", "From B"]);
    expect(await names(b.engine)).toEqual(["From A", "From B"]);

    const c = await fx.peer(token);
    await c.engine.unlock("root pass");
    await until(() => isLive(c), "new device live");
    const root = await openRoot(c.engine);
    expect(
      Object.values(root.doc().channels)
        .map((ch) => str(ch.name))
        .sort(),
    ).toEqual(["From A", "From B"]);
    expect(await workspaceState(c.engine)).toEqual(await workspaceState(a.engine));
  });

  it("[S1] catches up everything after compaction: the relay dropped the covered entries and the new device still gets every change", async () => {
    const { token } = await fx.register();
    const opts = { snapshotAfterUpdates: 5, snapshotMinBytes: 1 };
    const a = await fx.peer(token, opts);
    await a.engine.unlock("compact pass");
    const b = await fx.peer(token, opts);
    await b.engine.unlock("compact pass");
    await until(() => isLive(a) && isLive(b), "both live");

    const doc = a.engine.create<Counter>({ n: {} });
    const other = a.engine.create<Counter>({ n: { untouched: 1 } });
    await a.engine.whenIdle();
    await until(() => b.engine.has(doc.documentId), "b has the document");
    const onB = await b.engine.find<Counter>(doc.documentId);
    // Both devices write, one batch at a time, so each sees the other's entries and snapshots.
    for (let i = 0; i < 20; i++) {
      const [h, who] = i % 2 === 0 ? [doc, a] : [onB, b];
      h.change((d) => {
        d.n[`k${i}`] = i;
      });
      await who.engine.whenIdle();
      await until(() => Object.keys(doc.doc().n).length === i + 1 && Object.keys(onB.doc().n).length === i + 1, `change ${i} on both`);
    }
    // Snapshots are written while live, not only after a reconnect.
    const live = await fx.readLog(token);
    const liveKeys = keysOf(live.vault, "compact pass");
    const liveOfDoc = live.entries.filter((e) => sameBytes(e.stream, streamIdFor(liveKeys, doc.documentId as never)));
    expect(liveOfDoc.some((e) => e.kind === "snapshot")).toBe(true);
    expect(liveOfDoc.length).toBeLessThan(15);

    // A reconnect catches each device up past its own entries, so the last snapshot covers them all.
    a.engine.disconnect();
    await until(() => isLive(a), "a back");
    await a.engine.whenIdle();

    const { vault, entries } = await fx.readLog(token);
    const keys = keysOf(vault, "compact pass");
    const stream = streamIdFor(keys, doc.documentId as never);
    const ofDoc = entries.filter((e) => sameBytes(e.stream, stream));
    const snapshots = ofDoc.filter((e) => e.kind === "snapshot");
    expect(snapshots.length).toBeGreaterThan(0);
    // 1 creation + 20 updates were appended; compaction left far fewer.
    expect(ofDoc.length).toBeLessThan(8);
    // What is left still holds every change.
    let replay = A.init<Counter>();
    for (const e of ofDoc) {
      const opened = openEntry(keys, e);
      if (opened.ok && !opened.deleted) replay = A.loadIncremental(replay, opened.data);
    }
    expect(Object.keys(replay.n)).toHaveLength(20);
    expect(entries.some((e) => sameBytes(e.stream, streamIdFor(keys, other.documentId as never)))).toBe(true);

    const c = await fx.peer(token);
    await c.engine.unlock("compact pass");
    await until(() => isLive(c), "new device live").catch((e: unknown) => {
      throw new Error(`${String(e)}; log: ${c.logs.map((l) => `${l.cat} ${l.msg}`).join(" | ")}`);
    });
    const onC = await c.engine.find<Counter>(doc.documentId);
    expect(onC.doc().n).toEqual(doc.doc().n);
    expect(A.getHeads(onC.doc()).sort()).toEqual(A.getHeads(doc.doc()).sort());
    expect(c.engine.getStatus().progress.applied).toBe(entries.length);
  });
});

function headsOfRoot(e: { repo: { handles: Record<string, { isReady(): boolean; doc(): unknown }> } }): string {
  const h = e.repo.handles[ROOT_DOC_ID];
  return h?.isReady()
    ? A.getHeads(h.doc() as A.Doc<unknown>)
        .sort()
        .join()
    : "";
}
