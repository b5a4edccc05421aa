import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UserId } from "@botschat/protocol";
import { APPEND_ID_BYTES } from "./LogStore.js";
import { SqliteLogStore } from "./SqliteLogStore.js";
import { runLogStoreConformance } from "./runLogStoreConformance.js";

runLogStoreConformance("SqliteLogStore", async () => {
  const dir = await mkdtemp(join(tmpdir(), "botschat-store-"));
  const path = join(dir, "relay.db");
  return {
    store: new SqliteLogStore(path),
    reopen: async () => new SqliteLogStore(path),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe("SqliteLogStore", () => {
  let dir: string;
  let path: string;
  const stores: SqliteLogStore[] = [];
  const open = (options?: ConstructorParameters<typeof SqliteLogStore>[1]): SqliteLogStore => {
    const store = new SqliteLogStore(path, options);
    stores.push(store);
    return store;
  };
  const update = (id: string) => ({ id, stream: new Uint8Array(16).fill(1), kind: "update" as const, body: new Uint8Array(8) });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "botschat-store-"));
    path = join(dir, "relay.db");
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses WAL and records its schema version", async () => {
    await open().close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("user_version", { simple: true })).toBe(3);
    } finally {
      db.close();
    }
  });

  it("[N5] a database from before append ids counted charges its users for the ids it remembers", async () => {
    const store = open();
    const ann = (await store.createUser("ann@example.test", "hash", 1))!;
    for (let i = 0; i < 3; i++) await store.append(ann.id, update(`a${i}`), 1_000, 1 << 30);
    const now = (await store.getUser(ann.id))!.usedBytes;
    await store.close();
    // Back to version 1: the same rows, usage without the ids, no age index (and no invites table).
    const db = new Database(path);
    db.exec(`DROP TABLE invites; DROP INDEX append_ids_by_age; UPDATE users SET used_bytes = used_bytes - ${3 * APPEND_ID_BYTES}`);
    db.pragma("user_version = 1");
    db.close();
    expect((await open().getUser(ann.id))!.usedBytes).toBe(now);
  });

  it("[N22] a database from before invites keeps its users and sessions and takes invites", async () => {
    const store = open();
    const ann = (await store.createUser("ann@example.test", "hash", 1))!;
    await store.close();
    // Back to version 2: no invites table.
    const db = new Database(path);
    db.exec("DROP TABLE invites");
    db.pragma("user_version = 2");
    db.close();
    const again = open();
    expect(await again.getUser(ann.id)).toMatchObject({ email: "ann@example.test" });
    const invite = { id: "i_0000000000000000000001", userId: ann.id, label: "", codeHash: new Uint8Array(32).fill(1), now: 1, expiresAt: 10 };
    expect(await again.createInvite(invite, 20)).toMatchObject({ id: invite.id });
  });

  it("refuses a database written by a newer relay", () => {
    const db = new Database(path);
    db.pragma("user_version = 99");
    db.close();
    expect(() => new SqliteLogStore(path)).toThrow(/schema version 99/);
  });

  it("[O1] never hands out a seq again, even after the user holding the highest one is deleted", async () => {
    const store = open();
    const ann = (await store.createUser("ann@example.test", "h", 1))!;
    const bob = (await store.createUser("bob@example.test", "h", 1))!;
    await store.append(ann.id, update("a"), 1, 1 << 20);
    const bobSeq = await store.append(bob.id, update("b"), 1, 1 << 20);
    await store.deleteUser(bob.id);
    await store.close();
    const again = open();
    const next = await again.append(ann.id, update("c"), 1, 1 << 20);
    expect(next.ok && bobSeq.ok && next.seq > bobSeq.seq).toBe(true);
  });

  it("writes the appends of one event-loop turn in one transaction", async () => {
    const store = open();
    const ann = (await store.createUser("ann@example.test", "h", 1))!;
    const watcher = new Database(path, { readonly: true });
    try {
      const count = () => (watcher.prepare("SELECT count(*) AS n FROM entries").get() as { n: number }).n;
      const pending = Array.from({ length: 50 }, (_, i) => store.append(ann.id, update(`x${i}`), 1, 1 << 20));
      expect(count()).toBe(0);
      const committed: number[] = [];
      await Promise.all(pending.map((p) => p.then(() => committed.push(count()))));
      // Every promise saw all 50 rows: none resolved before the single commit.
      expect(committed).toEqual(Array(50).fill(50));
    } finally {
      watcher.close();
    }
  });

  it("splits a very large turn into bounded transactions, keeping order", async () => {
    const store = open({ maxBatchAppends: 7 });
    const ann = (await store.createUser("ann@example.test", "h", 1))!;
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => store.append(ann.id, update(`x${i}`), 1, 1 << 20)));
    const seqs = outcomes.map((o) => (o.ok ? o.seq : -1));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(30);
  });

  it("rejects every append of a batch whose transaction fails, and recovers afterwards", async () => {
    const store = open({ busyTimeoutMs: 20 });
    const ann = (await store.createUser("ann@example.test", "h", 1))!;
    const blocker = new Database(path);
    blocker.exec("BEGIN IMMEDIATE");
    const failed = await Promise.allSettled([store.append(ann.id, update("p"), 1, 1 << 20), store.append(ann.id, update("q"), 1, 1 << 20)]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    blocker.exec("ROLLBACK");
    blocker.close();
    const retried = await store.append(ann.id, update("p"), 1, 1 << 20);
    expect(retried).toMatchObject({ ok: true, duplicate: false });
    expect(await store.readAfter(ann.id as UserId, 0, { limit: 10, maxBytes: 1 << 20 })).toHaveLength(1);
  });
});
