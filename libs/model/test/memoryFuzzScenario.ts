import type { DocumentId } from "@automerge/automerge-repo";
import { OpError } from "../src/ops/OpError.js";
import { Backoff } from "../src/sync/Backoff.js";
import { MemoryRelay, type HoldDirection } from "../testkit/memoryRelay/index.js";
import { startMemoryPeer, type MemoryPeer } from "./memoryRelayFixture.js";
import { isLive } from "./peers.js";
import { prng } from "./prng.js";
import { workspaceState } from "./workspaceState.js";

interface Cells {
  cells: Record<string, number>;
}

/** How a scenario is drawn. */
export interface FuzzShape {
  /** Random steps before the network heals. */
  steps: number;
  /** How long healing and converging may take before the scenario fails, in ms. */
  settleMs: number;
}

const PASS = "fuzz pass";
const DIRECTIONS: readonly HoldDirection[] = ["down", "up", "both"];

/** Waits until `cond` holds, checking every `everyMs`; throws after `ms`. */
async function settle(cond: () => boolean | Promise<boolean>, what: string, ms: number, everyMs = 5): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * One seeded convergence scenario on a fresh MemoryRelay: two to four peers of one user
 * (browsers, and perhaps an agent with a pairing token), each on its own line, make concurrent
 * edits, creations and deletions while the steps hold, drop, reorder and cut their deliveries,
 * take lines offline, restart peers on their storage and restart (or crash) the relay. Then the
 * network heals, and every peer must hold the same workspace. The seed decides every choice;
 * timing is real, so a replay takes the same steps (see the trace) though not always at the same
 * moments.
 */
export async function runFuzzScenario(seed: number, shape: FuzzShape, trace: string[]): Promise<void> {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const relay = new MemoryRelay({ pageEntries: 1 + Math.floor(rand() * 6) });
  const reordered = rand() < 0.5;
  if (reordered) relay.reorder(prng(seed ^ 0x5bd1e995));
  const user = relay.register();
  const agent = rand() < 0.5 ? relay.createPairingToken(user.token, "agent") : undefined;
  const count = 2 + Math.floor(rand() * 3);
  const opts = {
    backoff: new Backoff(2, 16, prng(seed + 1)),
    debounceMs: Math.floor(rand() * 4),
    snapshotAfterUpdates: 2 + Math.floor(rand() * 6),
    snapshotMinBytes: 64,
    compactQuietMs: 10 + Math.floor(rand() * 40),
  };
  trace.push(
    `seed ${seed}: ${count} peers${agent ? " (the last an agent)" : ""}, reorder ${reordered ? "on" : "off"}, ${JSON.stringify({ ...opts, backoff: undefined })}`,
  );
  const peers: MemoryPeer[] = [];
  const created = new Set<DocumentId>();
  const tokens = Array.from({ length: count }, (_, i) => (agent && i === count - 1 ? agent.token : user.token));
  /** A new engine for peer `i` on its storage and line, as after a restart of its process. */
  const restartPeer = async (p: MemoryPeer, i: number): Promise<MemoryPeer> => {
    await p.engine.stop();
    return startMemoryPeer(relay, tokens[i]!, { ...opts, line: p.line, storage: p.storage });
  };
  try {
    for (let i = 0; i < count; i++) {
      const p = await startMemoryPeer(relay, tokens[i]!, { ...opts, line: relay.line(`p${i}`) });
      await p.engine.unlock(PASS);
      peers.push(p);
    }
    await settle(() => peers.every(isLive), "every peer live", shape.settleMs);

    for (let step = 0; step < shape.steps; step++) {
      const i = Math.floor(rand() * peers.length);
      const p = peers[i]!;
      const docs = p.engine.documentIds();
      const r = rand();
      const say = (what: string) => trace.push(`${step}: p${i} ${what}`);
      if (r < 0.12 || (r < 0.5 && docs.length === 0)) {
        const h = p.engine.create<Cells>({ cells: { [`p${i}s${step}`]: step } });
        created.add(h.documentId);
        say(`create ${h.documentId}`);
      } else if (r < 0.5) {
        const id = pick(docs);
        const key = `k${Math.floor(rand() * 4)}`;
        // Deleted by another peer meanwhile: `find` refuses it, fails while the deletion is being
        // applied, or gives a handle that is let go of.
        const h = await p.engine.find<Cells>(id).catch(async (e: unknown) => {
          if (e instanceof OpError) return undefined;
          await settle(() => !p.engine.has(id), `the deletion of ${id} after: ${String(e)}`, 1_000);
          return undefined;
        });
        if (h?.isReady()) {
          h.change((d) => {
            d.cells[key] = step;
            d.cells[`p${i}s${step}`] = step;
          });
          say(`edit ${id} ${key}`);
        } else say(`edit ${id}: deleted meanwhile`);
      } else if (r < 0.55) {
        const id = pick(docs.length > 0 ? docs : ["-"]);
        if (id !== "-") {
          await p.engine.tombstone(id as DocumentId);
        }
        say(`delete ${id}`);
      } else if (r < 0.63) {
        const d = pick(DIRECTIONS);
        p.line.hold(d);
        say(`hold ${d}`);
      } else if (r < 0.71) {
        p.line.release();
        say("release");
      } else if (r < 0.75) {
        say(`drop (${p.line.drop()} sockets)`);
      } else if (r < 0.79) {
        p.line.offline();
        say("offline");
      } else if (r < 0.84) {
        p.line.online();
        say("online");
      } else if (r < 0.88) {
        const next = await restartPeer(p, i);
        await next.engine.unlock(PASS);
        peers[i] = next;
        say("restart on its storage");
      } else if (r < 0.9) {
        const crash = rand() < 0.5;
        relay.restart({ crash });
        say(`relay ${crash ? "crash" : "restart"}`);
      } else if (r < 0.92) {
        p.engine.disconnect();
        say("disconnect");
      } else if (r < 0.96) {
        await relay.whenIdle();
        say("wait until the relay is idle");
      } else {
        const ms = Math.floor(rand() * 6);
        await new Promise((res) => setTimeout(res, ms));
        say(`wait ${ms} ms`);
      }
      if (rand() < 0.4) await new Promise((res) => setTimeout(res, Math.floor(rand() * 3)));
    }

    trace.push("heal");
    /** A failure of the healed network, with what each peer says. */
    const failure = (what: string): Error =>
      new Error(
        `${what}\n${peers
          .map(
            (p, k) =>
              `p${k} ${JSON.stringify(p.engine.getStatus())}, last log:\n  ${p.logs
                .slice(-12)
                .map((l) => `${l.cat} ${l.msg}`)
                .join("\n  ")}`,
          )
          .join("\n")}`,
      );
    for (const p of peers) {
      p.line.online();
      p.line.release();
      p.engine.reconnectNow();
    }
    await settle(() => peers.every(isLive), "every peer live again", shape.settleMs).catch((e: unknown) => {
      throw failure(String(e));
    });
    let idle = false;
    void Promise.all(peers.map((p) => p.engine.whenIdle())).then(() => (idle = true));
    await settle(() => idle, "every peer idle (everything received applied, everything sent acked)", shape.settleMs).catch((e: unknown) => {
      throw failure(String(e));
    });
    // Entries may still be on their way (a quiet compaction, a deletion): compare until equal.
    let states: string[] = [];
    let lastError = "";
    await settle(
      async () => {
        try {
          states = await Promise.all(peers.map(async (p) => JSON.stringify(await workspaceState(p.engine))));
        } catch (e) {
          lastError = `; last error: ${String(e)}`;
          return false;
        }
        return states.every((st) => st === states[0]);
      },
      "identical workspaces",
      shape.settleMs,
      // Reading every document of every peer is the costly check: not too often.
      25,
    ).catch((e: unknown) => {
      throw failure(`${String(e)}${lastError}\n${states.map((st, k) => `p${k}: ${st.slice(0, 400)}`).join("\n")}`);
    });
    // A `find` that came while another peer's deletion of the document was being applied must
    // not leave the handle the deletion let go of loaded.
    for (const [k, p] of peers.entries()) {
      const stale = [...created].filter((id) => !p.engine.has(id) && p.engine.isLoaded(id));
      if (stale.length > 0) throw new Error(`p${k} keeps the handle of the deleted ${stale.join(", ")} loaded`);
    }
  } finally {
    await Promise.all(peers.map((p) => p.engine.stop().catch(() => undefined)));
  }
}
