import { describe, expect, it } from "vitest";
import type { DocumentId } from "@automerge/automerge-repo";
import { register } from "@botschat/relay-testkit";
import { Backoff } from "../src/sync/Backoff.js";
import { isLive, until, type TestPeer } from "./peers.js";
import { relayFixture } from "./relayFixture.js";
import { workspaceState } from "./workspaceState.js";
import { prng } from "./prng.js";

interface Cells {
  cells: Record<string, number>;
}

const SEED = process.env["FUZZ_SEED"] ? Number(process.env["FUZZ_SEED"]) : Math.floor(Math.random() * 2 ** 31);
const STEPS = 300;
const PASS = "fuzz pass";
const fx = relayFixture();

describe("randomized convergence", () => {
  it(`peers making random changes, disconnects and restarts all end up identical (FUZZ_SEED=${SEED})`, async () => {
    const rand = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const { token } = await register(fx.relay.url);
    const opts = { backoff: new Backoff(20, 100), snapshotAfterUpdates: 8, snapshotMinBytes: 512 };
    const peers: TestPeer[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await fx.peer(token, opts);
      await p.engine.unlock(PASS);
      peers.push(p);
    }
    await until(() => peers.every(isLive), "all live");
    const trace: string[] = [];
    try {
      for (let step = 0; step < STEPS; step++) {
        const i = Math.floor(rand() * peers.length);
        const p = peers[i]!;
        const docs = p.engine.documentIds();
        const r = rand();
        if (r < 0.15 || docs.length === 0) {
          const h = p.engine.create<Cells>({ cells: { [`p${i}s${step}`]: step } });
          trace.push(`${step}: p${i} create ${h.documentId}`);
        } else if (r < 0.7) {
          const id = pick(docs);
          const h = await p.engine.find<Cells>(id);
          const key = `k${Math.floor(rand() * 5)}`;
          h.change((d) => {
            d.cells[key] = step;
            d.cells[`p${i}s${step}`] = step;
          });
          trace.push(`${step}: p${i} edit ${id} ${key}`);
        } else if (r < 0.78) {
          const id = pick(docs);
          await p.engine.tombstone(id as DocumentId);
          trace.push(`${step}: p${i} delete ${id}`);
        } else if (r < 0.88) {
          p.engine.disconnect();
          trace.push(`${step}: p${i} disconnect`);
        } else if (r < 0.94) {
          p.engine.reconnectNow();
          trace.push(`${step}: p${i} reconnect`);
        } else {
          const next = fx.track(await p.restart());
          await next.engine.unlock(PASS);
          peers[i] = next;
          trace.push(`${step}: p${i} restart`);
        }
        // Let some traffic through, a random amount.
        if (rand() < 0.5) await new Promise((res) => setTimeout(res, Math.floor(rand() * 8)));
      }
      for (const p of peers) p.engine.reconnectNow();
      await until(() => peers.every(isLive), "all live again");
      await Promise.all(peers.map((p) => p.engine.whenIdle()));
      let states: string[] = [];
      const deadline = Date.now() + 10_000;
      for (;;) {
        states = await Promise.all(peers.map(async (p) => JSON.stringify(await workspaceState(p.engine))));
        if (states.every((s) => s === states[0])) break;
        if (Date.now() > deadline) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(states[1]).toEqual(states[0]);
      expect(states[2]).toEqual(states[0]);
      expect(states[3]).toEqual(states[0]);
    } catch (e) {
      throw new Error(`FUZZ_SEED=${SEED} failed: ${String(e)}\nlast steps:\n${trace.slice(-15).join("\n")}`, { cause: e });
    }
  }, 20_000);
});
