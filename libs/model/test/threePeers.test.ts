import { describe, expect, it } from "vitest";
import { Backoff } from "../src/sync/Backoff.js";
import { ConnectionState, LockReason } from "../src/sync/ConnectionState.js";
import { isLive, until } from "./peers.js";
import { RELAYS } from "./relays.js";
import { headsOf, workspaceState } from "./workspaceState.js";

interface Board {
  cells: Record<string, string>;
  last?: string;
}

const PASS = "three peers share one passphrase";

describe.each(RELAYS)("three peers through %s", (_name, fixture) => {
  const fx = fixture();

  it("a plugin shows locked/no-vault until a browser creates the vault, then adopts it by itself; concurrent edits on three peers converge", async () => {
    const user = await fx.register();
    const second = await fx.login(user.email, user.password);
    const pairing = await fx.createPairingToken(user.token, "home gateway");

    // The plugin comes first: a pairing token cannot create the vault ([K1]).
    const plugin = await fx.peer(pairing.token, { backoff: new Backoff(50, 200) });
    const status = await plugin.engine.unlock(PASS);
    expect(status).toMatchObject({ state: ConnectionState.locked, lock: LockReason.noVault });

    const a = await fx.peer(user.token);
    await a.engine.unlock(PASS);
    const b = await fx.peer(second.token);
    await b.engine.unlock(PASS);
    // The plugin recovers without another unlock: its reconnect finds the vault in `welcome`.
    await until(() => isLive(a) && isLive(b) && isLive(plugin), "all three live");

    const docs = [0, 1, 2].map((n) => a.engine.create<Board>({ cells: { seed: `doc ${n}` } }).documentId);
    await a.engine.whenIdle();
    await until(() => docs.every((d) => b.engine.has(d) && plugin.engine.has(d)), "every peer has the documents");

    const all = [
      { name: "a", p: a },
      { name: "b", p: b },
      { name: "plugin", p: plugin },
    ];
    const handles = await Promise.all(all.map(({ p }) => Promise.all(docs.map((d) => p.engine.find<Board>(d)))));
    // Interleaved edits on every peer, to the same keys and to their own keys.
    for (let round = 0; round < 15; round++) {
      all.forEach(({ name }, i) => {
        for (const h of handles[i]!) {
          h.change((d) => {
            d.cells[`${name}-${round}`] = `${name} wrote ${round}`;
            d.cells["shared"] = `${name}@${round}`;
            d.last = name;
          });
        }
      });
      if (round % 5 === 4) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all.map(({ p }) => p.engine.whenIdle()));
    await until(() => headsOf(a.engine) === headsOf(b.engine) && headsOf(b.engine) === headsOf(plugin.engine), "identical heads");

    const sa = await workspaceState(a.engine);
    const sb = await workspaceState(b.engine);
    const sp = await workspaceState(plugin.engine);
    expect(sb).toEqual(sa);
    expect(sp).toEqual(sa);
    for (const d of docs) expect(Object.keys((sa[d]!.content as Board).cells)).toHaveLength(1 + 1 + 3 * 15);
  });
});
