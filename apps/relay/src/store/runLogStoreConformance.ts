import { afterEach, beforeEach, describe, expect, it, type TestContext } from "vitest";
import { parseUserId, type DeviceId, type UserId } from "@botschat/protocol";
import { APPEND_ID_BYTES, type AppendInput, type AppendOutcome, type LogStore, type StoredEntry, type UserRecord } from "./LogStore.js";

/** What a conformance run needs from one implementation. */
export interface LogStoreFixture {
  /** A fresh, empty store. */
  store: LogStore;
  /**
   * Opens the same data again, after the suite closed `store`. Stores that keep nothing across a
   * restart leave it out, and the durability tests are skipped for them.
   */
  reopen?: () => Promise<LogStore>;
  /** Removes whatever the fixture created; the store is already closed. */
  cleanup: () => Promise<void>;
}

const QUOTA = 1 << 30;
const STREAM_BYTES = 16;

/** A 16-byte stream id filled with `n`. */
function streamOf(n: number): Uint8Array {
  return new Uint8Array(STREAM_BYTES).fill(n);
}

function bodyOf(n: number, size = 8): Uint8Array {
  return new Uint8Array(size).fill(n);
}

function okSeq(outcome: AppendOutcome): number {
  if (!outcome.ok) throw new Error(`append refused: ${outcome.code} ${outcome.message}`);
  return outcome.seq;
}

function entryBytes(entries: StoredEntry[]): number {
  return entries.reduce((n, e) => n + e.body.byteLength + e.stream.byteLength, 0);
}

/**
 * Declares the vitest suite every {@link LogStore} must pass, the way automerge-repo's
 * `runStorageAdapterTests` does for its storage adapters. A new implementation needs only a file
 * that calls this with a factory.
 *
 * @example
 * runLogStoreConformance("SqliteLogStore", async () => {
 *   const dir = await mkdtemp(join(tmpdir(), "relay-store-"));
 *   const path = join(dir, "relay.db");
 *   return {
 *     store: new SqliteLogStore(path),
 *     reopen: async () => new SqliteLogStore(path),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * });
 */
export function runLogStoreConformance(name: string, makeStore: () => Promise<LogStoreFixture>): void {
  describe(`LogStore conformance: ${name}`, () => {
    let fixture: LogStoreFixture;
    let store: LogStore;
    let open = false;
    let appendCount = 0;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      open = true;
    });

    afterEach(async () => {
      if (open) await store.close();
      open = false;
      await fixture.cleanup();
    });

    async function close(): Promise<void> {
      if (!open) return;
      open = false;
      await store.close();
    }

    /** Closes the store and opens its data again; skips the test for stores that cannot. */
    async function reopen(ctx: TestContext): Promise<LogStore> {
      const again = fixture.reopen;
      if (!again) ctx.skip("this store keeps nothing across a restart");
      await close();
      store = await again!();
      open = true;
      return store;
    }

    async function newUser(label: string): Promise<UserRecord> {
      const user = await store.createUser(`${label}@example.test`, `hash-of-${label}`, 1_000);
      if (!user) throw new Error(`could not create ${label}`);
      return user;
    }

    function update(stream: Uint8Array, body: Uint8Array, id = `a${++appendCount}`): AppendInput {
      return { id, stream, kind: "update", body };
    }

    function snapshot(stream: Uint8Array, body: Uint8Array, covers?: number, id = `a${++appendCount}`): AppendInput {
      return covers === undefined ? { id, stream, kind: "snapshot", body } : { id, stream, kind: "snapshot", body, covers };
    }

    async function all(userId: UserId): Promise<StoredEntry[]> {
      return store.readAfter(userId, 0, { limit: 100_000, maxBytes: Number.MAX_SAFE_INTEGER });
    }

    async function appendOk(userId: UserId, input: AppendInput, now = 2_000): Promise<number> {
      return okSeq(await store.append(userId, input, now, QUOTA));
    }

    describe("users", () => {
      it("creates a user with a lower-cased email, no vault and an empty log", async () => {
        const user = await store.createUser("Ann.Lee@Example.TEST", "scrypt$hash", 1_234);
        expect(user).not.toBeNull();
        expect(parseUserId(user!.id)).toBe(user!.id);
        expect(user).toEqual({
          id: user!.id,
          email: "ann.lee@example.test",
          passwordHash: "scrypt$hash",
          vault: null,
          createdAt: 1_234,
          head: 0,
          usedBytes: 0,
        });
        expect(await store.getUser(user!.id)).toEqual(user);
      });

      it("refuses an email that is taken, whatever its case, and finds users by any case", async () => {
        const ann = await store.createUser("ann@example.test", "h1", 1_000);
        expect(await store.createUser("ANN@Example.test", "h2", 2_000)).toBeNull();
        expect((await store.getUserByEmail("Ann@EXAMPLE.test"))?.id).toBe(ann!.id);
        expect((await store.getUserByEmail("ann@example.test"))?.passwordHash).toBe("h1");
      });

      it("answers null for an unknown user id or email", async () => {
        await newUser("ann");
        expect(await store.getUser("u_0000000000000000000000" as UserId)).toBeNull();
        expect(await store.getUserByEmail("nobody@example.test")).toBeNull();
      });

      it("gives different users different ids", async () => {
        const ids = new Set<string>();
        for (let i = 0; i < 20; i++) ids.add((await newUser(`user${i}`)).id);
        expect(ids.size).toBe(20);
      });
    });

    describe("vault", () => {
      it("sets the vault once, accepts the same bytes again and answers a different one with the stored vault", async () => {
        const ann = await newUser("ann");
        const vault = new Uint8Array([1, 2, 3, 4]);
        expect(await store.setVault(ann.id, vault)).toEqual({ ok: true });
        expect(await store.setVault(ann.id, new Uint8Array([1, 2, 3, 4]))).toEqual({ ok: true });
        const other = await store.setVault(ann.id, new Uint8Array([9, 9]));
        expect(other.ok).toBe(false);
        expect(other.ok ? null : [...other.stored]).toEqual([1, 2, 3, 4]);
        expect([...(await store.getUser(ann.id))!.vault!]).toEqual([1, 2, 3, 4]);
      });

      it("[X6] one user's vault never shows up on another user", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.setVault(ann.id, new Uint8Array([1]));
        expect((await store.getUser(bob.id))!.vault).toBeNull();
        expect(await store.setVault(bob.id, new Uint8Array([2]))).toEqual({ ok: true });
        expect([...(await store.getUser(ann.id))!.vault!]).toEqual([1]);
      });
    });

    describe("tokens", () => {
      const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n);
      const tokenId = (n: number): DeviceId => `d_${String(n).padStart(22, "0")}` as DeviceId;

      it("finds a token by its secret hash, records its use, and forgets it once deleted", async () => {
        const ann = await newUser("ann");
        const created = await store.createToken({ id: tokenId(1), userId: ann.id, kind: "pairing", label: "laptop", secretHash: hash(1), now: 5_000 });
        expect(created).toEqual({ id: tokenId(1), userId: ann.id, kind: "pairing", label: "laptop", createdAt: 5_000, lastUsedAt: null });
        expect(await store.findToken(hash(1))).toEqual(created);
        expect(await store.findToken(hash(2))).toBeNull();

        await store.touchToken(tokenId(1), 6_000);
        expect((await store.findToken(hash(1)))?.lastUsedAt).toBe(6_000);
        expect(await store.listTokens(ann.id, "pairing")).toEqual([{ ...created, lastUsedAt: 6_000 }]);
        expect(await store.listTokens(ann.id, "session")).toEqual([]);

        expect(await store.deleteToken(ann.id, tokenId(1))).toBe(true);
        expect(await store.findToken(hash(1))).toBeNull();
        expect(await store.deleteToken(ann.id, tokenId(1))).toBe(false);
        expect(await store.listTokens(ann.id, "pairing")).toEqual([]);
      });

      it("lists a user's tokens of one kind, oldest first", async () => {
        const ann = await newUser("ann");
        await store.createToken({ id: tokenId(2), userId: ann.id, kind: "session", label: "", secretHash: hash(2), now: 2_000 });
        await store.createToken({ id: tokenId(1), userId: ann.id, kind: "session", label: "", secretHash: hash(1), now: 1_000 });
        await store.createToken({ id: tokenId(3), userId: ann.id, kind: "pairing", label: "bot", secretHash: hash(3), now: 3_000 });
        expect((await store.listTokens(ann.id, "session")).map((t) => t.id)).toEqual([tokenId(1), tokenId(2)]);
        expect((await store.listTokens(ann.id, "pairing")).map((t) => t.id)).toEqual([tokenId(3)]);
      });

      it("deletes sessions idle since before the cut-off, returns them, and keeps pairing tokens", async () => {
        const ann = await newUser("ann");
        const make = (n: number, kind: "session" | "pairing", now: number) =>
          store.createToken({ id: tokenId(n), userId: ann.id, kind, label: `t${n}`, secretHash: hash(n), now });
        await make(1, "session", 1_000); // never used, created long ago
        await make(2, "session", 1_000);
        await store.touchToken(tokenId(2), 2_000); // used, but long ago
        await make(3, "session", 1_000);
        await store.touchToken(tokenId(3), 9_000); // old but used recently
        await make(4, "session", 9_000); // new
        await make(5, "pairing", 1_000); // pairing tokens do not expire

        const deleted = await store.deleteIdleSessions(5_000);
        expect(deleted.map((t) => t.id).sort()).toEqual([tokenId(1), tokenId(2)]);
        expect(deleted.every((t) => t.userId === ann.id && t.kind === "session")).toBe(true);
        expect(await store.findToken(hash(1))).toBeNull();
        expect(await store.findToken(hash(2))).toBeNull();
        expect((await store.listTokens(ann.id, "session")).map((t) => t.id)).toEqual([tokenId(3), tokenId(4)]);
        expect((await store.listTokens(ann.id, "pairing")).map((t) => t.id)).toEqual([tokenId(5)]);
        expect(await store.deleteIdleSessions(5_000)).toEqual([]);
      });

      it("[X6] a user can neither list nor delete another user's tokens", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.createToken({ id: tokenId(1), userId: ann.id, kind: "pairing", label: "ann's", secretHash: hash(1), now: 1_000 });
        expect(await store.listTokens(bob.id, "pairing")).toEqual([]);
        expect(await store.deleteToken(bob.id, tokenId(1))).toBe(false);
        expect((await store.findToken(hash(1)))?.userId).toBe(ann.id);
      });
    });

    describe("appends and reads", () => {
      it("[O1] gives each user's entries increasing seqs (gaps allowed) and stores them as sent", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const annSeqs: number[] = [];
        const bobSeqs: number[] = [];
        for (let i = 0; i < 5; i++) {
          annSeqs.push(await appendOk(ann.id, update(streamOf(1), bodyOf(i)), 10_000 + i));
          bobSeqs.push(await appendOk(bob.id, update(streamOf(1), bodyOf(100 + i)), 20_000 + i));
        }
        for (const seqs of [annSeqs, bobSeqs]) {
          for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
        }
        const entries = await all(ann.id);
        expect(entries).toEqual(annSeqs.map((seq, i) => ({ seq, stream: streamOf(1), kind: "update", body: bodyOf(i), ts: 10_000 + i })));
        expect((await store.getUser(ann.id))!.head).toBe(annSeqs[4]);
      });

      it("[A1] resolves many appends issued together in issue order, with increasing seqs", async () => {
        const ann = await newUser("ann");
        const resolved: number[] = [];
        const pending = Array.from({ length: 300 }, (_, i) =>
          store.append(ann.id, update(streamOf(i % 3), bodyOf(i % 250, 16)), 3_000, QUOTA).then((outcome) => {
            resolved.push(i);
            return okSeq(outcome);
          }),
        );
        const seqs = await Promise.all(pending);
        expect(resolved).toEqual(seqs.map((_, i) => i));
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
        expect((await all(ann.id)).map((e) => e.seq)).toEqual(seqs);
      });

      it("reads only the entries above `since`, in increasing seq", async () => {
        const ann = await newUser("ann");
        const seqs: number[] = [];
        for (let i = 0; i < 6; i++) seqs.push(await appendOk(ann.id, update(streamOf(i % 2), bodyOf(i))));
        const after = await store.readAfter(ann.id, seqs[2]!, { limit: 100, maxBytes: 1 << 20 });
        expect(after.map((e) => e.seq)).toEqual(seqs.slice(3));
        expect(after.map((e) => e.body[0])).toEqual([3, 4, 5]);
      });

      it("pages by limit without skipping or repeating an entry", async () => {
        const ann = await newUser("ann");
        const seqs: number[] = [];
        for (let i = 0; i < 10; i++) seqs.push(await appendOk(ann.id, update(streamOf(1), bodyOf(i))));
        const seen: number[] = [];
        let since = 0;
        for (;;) {
          const page = await store.readAfter(ann.id, since, { limit: 3, maxBytes: 1 << 20 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          seen.push(...page.map((e) => e.seq));
          since = page[page.length - 1]!.seq;
        }
        expect(seen).toEqual(seqs);
      });

      it("stops a page before it would pass maxBytes, but always returns at least one entry", async () => {
        const ann = await newUser("ann");
        const seqs: number[] = [];
        for (let i = 0; i < 5; i++) seqs.push(await appendOk(ann.id, update(streamOf(1), bodyOf(i, 100))));
        expect((await store.readAfter(ann.id, 0, { limit: 100, maxBytes: 250 })).map((e) => e.seq)).toEqual(seqs.slice(0, 2));
        expect((await store.readAfter(ann.id, 0, { limit: 100, maxBytes: 200 })).map((e) => e.seq)).toEqual(seqs.slice(0, 2));
        expect((await store.readAfter(ann.id, 0, { limit: 100, maxBytes: 10 })).map((e) => e.seq)).toEqual(seqs.slice(0, 1));
        expect((await store.readAfter(ann.id, seqs[3]!, { limit: 100, maxBytes: 1 })).map((e) => e.seq)).toEqual([seqs[4]]);
      });

      it("reads nothing from an empty log or past the head", async () => {
        const ann = await newUser("ann");
        expect(await store.readAfter(ann.id, 0, { limit: 10, maxBytes: 1 << 20 })).toEqual([]);
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        expect(await store.readAfter(ann.id, seq, { limit: 10, maxBytes: 1 << 20 })).toEqual([]);
      });

      it("returns entries whose bytes stay intact after later reads and appends", async () => {
        const ann = await newUser("ann");
        await appendOk(ann.id, update(streamOf(1), bodyOf(1, 64)));
        const [first] = await all(ann.id);
        for (let i = 0; i < 20; i++) await appendOk(ann.id, update(streamOf(2), bodyOf(2, 64)));
        await all(ann.id);
        expect(first!.stream).toEqual(streamOf(1));
        expect(first!.body).toEqual(bodyOf(1, 64));
        expect(first!.body).toBeInstanceOf(Uint8Array);
      });

      it("[X6] never shows one user's entries to another", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        expect(await all(bob.id)).toEqual([]);
        const bobSeq = await appendOk(bob.id, update(streamOf(1), bodyOf(2)));
        expect((await all(bob.id)).map((e) => e.seq)).toEqual([bobSeq]);
        expect((await all(ann.id)).map((e) => e.body[0])).toEqual([1]);
      });

      it("refuses an append for a user that does not exist and stores nothing", async () => {
        const ghost = "u_GhostGhostGhostGhost00" as UserId;
        const outcome = await store.append(ghost, update(streamOf(1), bodyOf(1)), 1_000, QUOTA);
        expect(outcome.ok).toBe(false);
        expect(await all(ghost)).toEqual([]);
      });
    });

    describe("idempotency [A3]", () => {
      it("[A3] a repeated append id gets the first ack and stores nothing", async () => {
        const ann = await newUser("ann");
        const first = await store.append(ann.id, update(streamOf(1), bodyOf(1), "retry-me"), 5_000, QUOTA);
        const usedBefore = (await store.getUser(ann.id))!.usedBytes;
        const again = await store.append(ann.id, update(streamOf(2), bodyOf(2, 50), "retry-me"), 6_000, QUOTA);
        expect(first).toEqual({ ok: true, seq: okSeq(first), ts: 5_000, duplicate: false });
        expect(again).toEqual({ ok: true, seq: okSeq(first), ts: 5_000, duplicate: true });
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([okSeq(first)]);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(usedBefore);
      });

      it("[A3] the same id twice in one batch gets one seq, the second marked duplicate", async () => {
        const ann = await newUser("ann");
        const [a, b] = await Promise.all([
          store.append(ann.id, update(streamOf(1), bodyOf(1), "twice"), 5_000, QUOTA),
          store.append(ann.id, update(streamOf(1), bodyOf(1), "twice"), 5_000, QUOTA),
        ]);
        expect(a).toEqual({ ok: true, seq: okSeq(a!), ts: 5_000, duplicate: false });
        expect(b).toEqual({ ok: true, seq: okSeq(a!), ts: 5_000, duplicate: true });
        expect(await all(ann.id)).toHaveLength(1);
      });

      it("[A3] a repeated id still gets its first seq after compaction removed the entry", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1), "early"));
        const snap = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(2), seq));
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([snap]);
        const again = await store.append(ann.id, update(streamOf(1), bodyOf(1), "early"), 9_000, QUOTA);
        expect(again).toMatchObject({ ok: true, seq, duplicate: true });
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([snap]);
      });

      it("[A3] append ids belong to one user: another user's same id is a new entry", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const annSeq = await appendOk(ann.id, update(streamOf(1), bodyOf(1), "shared-id"));
        const bobOutcome = await store.append(bob.id, update(streamOf(1), bodyOf(2), "shared-id"), 3_000, QUOTA);
        expect(bobOutcome).toMatchObject({ ok: true, duplicate: false });
        expect(await all(bob.id)).toHaveLength(1);
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([annSeq]);
      });

      it("[O1] one user's seqs say nothing about other users' writes (decision 003)", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const first = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        for (let i = 0; i < 10; i++) await appendOk(bob.id, update(streamOf(2), bodyOf(i)));
        const second = await appendOk(ann.id, update(streamOf(1), bodyOf(2)));
        expect(second).toBe(first + 1);
      });

      it("[A3] a retry is acknowledged even once the user is over the quota", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1, 100), "kept"));
        const again = await store.append(ann.id, update(streamOf(1), bodyOf(1, 100), "kept"), 9_000, 0);
        expect(again).toMatchObject({ ok: true, seq, duplicate: true });
      });

      it("[A3] a refused append does not use up its id", async () => {
        const ann = await newUser("ann");
        const refused = await store.append(ann.id, update(streamOf(1), bodyOf(1, 100), "later"), 1_000, 10);
        expect(refused).toMatchObject({ ok: false, code: "quota_exceeded" });
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(1, 100), "later"), 2_000, QUOTA)).toMatchObject({
          ok: true,
          duplicate: false,
        });
      });

      it("[N5] append ids expire by age and beyond the newest of each user, giving their bytes back; an expired id's retry is a new entry", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        for (let i = 0; i < 5; i++) await store.append(ann.id, update(streamOf(1), bodyOf(i, 10), `ann-${i}`), 1_000 * (i + 1), QUOTA);
        await store.append(bob.id, update(streamOf(1), bodyOf(9, 10), "bob-0"), 1_000, QUOTA);
        const annBefore = (await store.getUser(ann.id))!.usedBytes;
        const bobBefore = (await store.getUser(bob.id))!.usedBytes;
        // Older than 2,500 (ann-0, ann-1, bob-0), and beyond ann's newest two (ann-2).
        expect(await store.expireAppendIds(2_500, 2)).toBe(4);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(annBefore - 3 * APPEND_ID_BYTES);
        expect((await store.getUser(bob.id))!.usedBytes).toBe(bobBefore - APPEND_ID_BYTES);
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(4, 10), "ann-4"), 9_000, QUOTA)).toMatchObject({ duplicate: true });
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(0, 10), "ann-0"), 9_000, QUOTA)).toMatchObject({ ok: true, duplicate: false });
        expect(await store.expireAppendIds(0, 1_000)).toBe(0);
      });

      it("[A3] a repeated id is recognised after a restart", async (ctx) => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1), "before-restart"), 4_000);
        await reopen(ctx);
        const again = await store.append(ann.id, update(streamOf(1), bodyOf(1), "before-restart"), 8_000, QUOTA);
        expect(again).toEqual({ ok: true, seq, ts: 4_000, duplicate: true });
        expect(await all(ann.id)).toHaveLength(1);
      });
    });

    describe("snapshots and compaction", () => {
      it("[S1] a snapshot deletes its stream's entries up to covers and keeps everything else", async () => {
        const ann = await newUser("ann");
        const s = streamOf(1);
        const t = streamOf(2);
        const u1 = await appendOk(ann.id, update(s, bodyOf(1, 10)));
        const t1 = await appendOk(ann.id, update(t, bodyOf(2, 10)));
        const oldSnap = await appendOk(ann.id, snapshot(s, bodyOf(3, 10)));
        const u2 = await appendOk(ann.id, update(s, bodyOf(4, 10)));
        const u3 = await appendOk(ann.id, update(s, bodyOf(5, 10)));
        const snap = await appendOk(ann.id, snapshot(s, bodyOf(6, 30), u2));
        const left = await all(ann.id);
        expect(left.map((e) => e.seq)).toEqual([t1, u3, snap]);
        expect([u1, oldSnap, u2].some((seq) => left.some((e) => e.seq === seq))).toBe(false);
        // Six ids stay remembered (and counted) until they expire.
        expect((await store.getUser(ann.id))!.usedBytes).toBe(entryBytes(left) + 6 * APPEND_ID_BYTES);
      });

      it("[S1] a snapshot without covers deletes nothing", async () => {
        const ann = await newUser("ann");
        const u1 = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const snap = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(2)));
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([u1, snap]);
      });

      it("[S1] [X6] compaction never touches another user's entries of the same stream id", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await appendOk(ann.id, update(streamOf(1), bodyOf(2)));
        const bobSeq = await appendOk(bob.id, update(streamOf(1), bodyOf(1)));
        const annHead = await appendOk(ann.id, update(streamOf(2), bodyOf(2)));
        expect(annHead).toBeGreaterThan(bobSeq);
        const snap = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(3), annHead));
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([annHead, snap]);
        expect((await all(bob.id)).map((e) => e.seq)).toEqual([bobSeq]);
        expect((await store.getUser(bob.id))!.usedBytes).toBe(STREAM_BYTES + 8 + APPEND_ID_BYTES);
      });

      it("[S3] covers above the user's head is invalid and stores nothing", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const outcome = await store.append(ann.id, snapshot(streamOf(1), bodyOf(2), seq + 1), 3_000, QUOTA);
        expect(outcome).toMatchObject({ ok: false, code: "invalid" });
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([seq]);
        expect((await store.getUser(ann.id))!.head).toBe(seq);
      });

      it("[S3] covers equal to the head is accepted", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const snap = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(2), seq));
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([snap]);
      });

      it("[S3] [X6] covers is judged by the writer's own head, not another user's", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const annSeq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        await appendOk(bob.id, update(streamOf(1), bodyOf(1)));
        const bobSeq = await appendOk(bob.id, update(streamOf(1), bodyOf(2)));
        expect(bobSeq).toBeGreaterThan(annSeq);
        const outcome = await store.append(ann.id, snapshot(streamOf(1), bodyOf(2), bobSeq), 3_000, QUOTA);
        expect(outcome).toMatchObject({ ok: false, code: "invalid" });
      });

      it("[S3] covers on an update is invalid", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const input: AppendInput = { ...update(streamOf(1), bodyOf(2)), covers: seq };
        expect(await store.append(ann.id, input, 3_000, QUOTA)).toMatchObject({ ok: false, code: "invalid" });
        expect((await all(ann.id)).map((e) => e.seq)).toEqual([seq]);
      });

      it("a refused append does not fail the others written with it", async () => {
        const ann = await newUser("ann");
        const seq = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const outcomes = await Promise.all([
          store.append(ann.id, update(streamOf(1), bodyOf(2)), 3_000, QUOTA),
          store.append(ann.id, { ...update(streamOf(1), bodyOf(3)), covers: seq }, 3_000, QUOTA),
          store.append(ann.id, snapshot(streamOf(1), bodyOf(4), seq + 1_000_000), 3_000, QUOTA),
          store.append(ann.id, update(streamOf(1), bodyOf(5, 1000)), 3_000, 100),
          store.append(ann.id, update(streamOf(1), bodyOf(6)), 3_000, QUOTA),
        ]);
        expect(outcomes.map((o) => (o.ok ? "ok" : o.code))).toEqual(["ok", "invalid", "invalid", "quota_exceeded", "ok"]);
        expect((await all(ann.id)).map((e) => e.body[0])).toEqual([1, 2, 6]);
      });

      it("[O1] the head never goes down after compaction, and later seqs stay above it", async () => {
        const ann = await newUser("ann");
        let last = 0;
        for (let i = 0; i < 4; i++) last = await appendOk(ann.id, update(streamOf(1), bodyOf(i)));
        const before = (await store.getUser(ann.id))!.head;
        expect(before).toBe(last);
        const snap = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(9), last));
        const after = (await store.getUser(ann.id))!.head;
        expect(after).toBe(snap);
        expect(after).toBeGreaterThanOrEqual(before);
        expect(await appendOk(ann.id, update(streamOf(2), bodyOf(1)))).toBeGreaterThan(after);
      });
    });

    describe("quota", () => {
      it("counts entry bodies, stream ids and remembered append ids against the quota, and refuses what would pass it", async () => {
        const ann = await newUser("ann");
        const size = STREAM_BYTES + 100 + APPEND_ID_BYTES;
        const quota = 2 * size;
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(1, 100)), 1_000, quota)).toMatchObject({ ok: true });
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(2, 100)), 1_000, quota)).toMatchObject({ ok: true });
        expect((await store.getUser(ann.id))!.usedBytes).toBe(quota);
        const refused = await store.append(ann.id, update(streamOf(1), bodyOf(3, 1)), 1_000, quota);
        expect(refused).toMatchObject({ ok: false, code: "quota_exceeded" });
        expect(await all(ann.id)).toHaveLength(2);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(quota);
      });

      it("refuses appends in one batch once the ones before them used the quota up", async () => {
        const ann = await newUser("ann");
        const quota = 2 * (STREAM_BYTES + 10 + APPEND_ID_BYTES);
        const outcomes = await Promise.all([1, 2, 3].map((n) => store.append(ann.id, update(streamOf(1), bodyOf(n, 10)), 1_000, quota)));
        expect(outcomes.map((o) => (o.ok ? "ok" : o.code))).toEqual(["ok", "ok", "quota_exceeded"]);
      });

      it("gives compacted bytes back, and lets a snapshot bring a full user back under the quota", async () => {
        const ann = await newUser("ann");
        const quota = 4 * (STREAM_BYTES + 100 + APPEND_ID_BYTES);
        let last = 0;
        for (let i = 0; i < 4; i++) last = await appendOk(ann.id, update(streamOf(1), bodyOf(i, 100)), 1_000);
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(9, 1)), 1_000, quota)).toMatchObject({ ok: false, code: "quota_exceeded" });
        const snap = await store.append(ann.id, snapshot(streamOf(1), bodyOf(8, 150), last), 1_000, quota);
        expect(snap).toMatchObject({ ok: true });
        expect((await store.getUser(ann.id))!.usedBytes).toBe(STREAM_BYTES + 150 + 5 * APPEND_ID_BYTES);
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(9, 1)), 1_000, quota)).toMatchObject({ ok: true });
      });

      it("counts blobs against the same quota as entries", async () => {
        const ann = await newUser("ann");
        const quota = 1_000;
        const h = (n: number) => String(n).repeat(64).slice(0, 64);
        expect(await store.addBlob(ann.id, h(1), 600, 1_000, quota)).toBe("added");
        expect(await store.blobSize(ann.id, h(1))).toBe(600);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(600);
        expect(await store.addBlob(ann.id, h(2), 401, 1_000, quota)).toBe("quota_exceeded");
        expect(await store.blobSize(ann.id, h(2))).toBeNull();
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(1, 400 - STREAM_BYTES - APPEND_ID_BYTES + 1)), 1_000, quota)).toMatchObject({
          ok: false,
          code: "quota_exceeded",
        });
        expect(await store.append(ann.id, update(streamOf(1), bodyOf(1, 400 - STREAM_BYTES - APPEND_ID_BYTES)), 1_000, quota)).toMatchObject({ ok: true });
        expect((await store.getUser(ann.id))!.usedBytes).toBe(quota);
        expect(await store.addBlob(ann.id, h(3), 1, 1_000, quota)).toBe("quota_exceeded");
      });

      it("answers exists for a blob the user already has, and changes nothing", async () => {
        const ann = await newUser("ann");
        const hash = "ab".repeat(32);
        expect(await store.addBlob(ann.id, hash, 100, 1_000, 100)).toBe("added");
        expect(await store.addBlob(ann.id, hash, 100, 2_000, 100)).toBe("exists");
        expect(await store.addBlob(ann.id, hash, 999, 2_000, 0)).toBe("exists");
        expect(await store.blobSize(ann.id, hash)).toBe(100);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(100);
      });

      it("[X6] a blob belongs only to the user who added it", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const hash = "cd".repeat(32);
        await store.addBlob(ann.id, hash, 50, 1_000, QUOTA);
        expect(await store.blobSize(bob.id, hash)).toBeNull();
        expect(await store.addBlob(bob.id, hash, 50, 1_000, QUOTA)).toBe("added");
        expect((await store.getUser(bob.id))!.usedBytes).toBe(50);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(50);
      });

      it("[N23] removing a blob answers its size and gives it back to the quota; removing it again answers null", async () => {
        const ann = await newUser("ann");
        const quota = 1_000;
        const hash = "a1".repeat(32);
        expect(await store.addBlob(ann.id, hash, 700, 1_000, quota)).toBe("added");
        expect(await store.addBlob(ann.id, "a2".repeat(32), 400, 1_000, quota)).toBe("quota_exceeded");
        expect(await store.removeBlob(ann.id, hash)).toBe(700);
        expect(await store.blobSize(ann.id, hash)).toBeNull();
        expect((await store.getUser(ann.id))!.usedBytes).toBe(0);
        expect(await store.removeBlob(ann.id, hash)).toBeNull();
        expect((await store.getUser(ann.id))!.usedBytes).toBe(0);
        expect(await store.addBlob(ann.id, "a2".repeat(32), 400, 1_000, quota)).toBe("added");
        expect(await store.addBlob(ann.id, hash, 600, 2_000, quota)).toBe("added");
        expect((await store.getUser(ann.id))!.usedBytes).toBe(1_000);
      });

      it("[N23] [X6] a user can never remove another user's blob, even of the same hash", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const hash = "b1".repeat(32);
        await store.addBlob(ann.id, hash, 50, 1_000, QUOTA);
        expect(await store.removeBlob(bob.id, hash)).toBeNull();
        expect(await store.blobSize(ann.id, hash)).toBe(50);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(50);
        await store.addBlob(bob.id, hash, 50, 1_000, QUOTA);
        expect(await store.removeBlob(bob.id, hash)).toBe(50);
        expect(await store.blobSize(ann.id, hash)).toBe(50);
        expect(await store.removeBlob("u_0000000000000000000000" as UserId, hash)).toBeNull();
      });

      it("[N23] [A1] a removed blob stays removed, and its bytes freed, across a restart", async (ctx) => {
        const ann = await newUser("ann");
        await store.addBlob(ann.id, "c1".repeat(32), 30, 1_000, QUOTA);
        await store.addBlob(ann.id, "c2".repeat(32), 20, 1_000, QUOTA);
        expect(await store.removeBlob(ann.id, "c1".repeat(32))).toBe(30);
        await reopen(ctx);
        expect(await store.blobSize(ann.id, "c1".repeat(32))).toBeNull();
        expect(await store.blobSize(ann.id, "c2".repeat(32))).toBe(20);
        expect((await store.getUser(ann.id))!.usedBytes).toBe(20);
      });
    });

    describe("sessions and passwords", () => {
      const secret = (n: number): Uint8Array => new Uint8Array(32).fill(n);
      const tokenId = (n: number): DeviceId => `d_${String(n).padStart(22, "0")}` as DeviceId;

      it("[N21] deleting the other sessions keeps the given one, every pairing token, and other users' sessions", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const make = (n: number, userId: UserId, kind: "session" | "pairing") =>
          store.createToken({ id: tokenId(n), userId, kind, label: `t${n}`, secretHash: secret(n), now: 1_000 + n });
        for (const [n, kind] of [
          [1, "session"],
          [2, "session"],
          [3, "session"],
          [4, "pairing"],
        ] as const)
          await make(n, ann.id, kind);
        await make(5, bob.id, "session");

        const gone = await store.deleteOtherSessions(ann.id, tokenId(2));
        expect(gone.map((t) => t.id).sort()).toEqual([tokenId(1), tokenId(3)]);
        expect(gone.every((t) => t.userId === ann.id && t.kind === "session")).toBe(true);
        expect((await store.listTokens(ann.id, "session")).map((t) => t.id)).toEqual([tokenId(2)]);
        expect((await store.listTokens(ann.id, "pairing")).map((t) => t.id)).toEqual([tokenId(4)]);
        expect((await store.findToken(secret(5)))?.userId).toBe(bob.id);
        expect(await store.deleteOtherSessions(ann.id, tokenId(2))).toEqual([]);
      });

      it("[N21] [X6] a user cannot end another user's sessions by naming one of them as the one to keep", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.createToken({ id: tokenId(1), userId: bob.id, kind: "session", label: "", secretHash: secret(1), now: 1_000 });
        await store.createToken({ id: tokenId(2), userId: bob.id, kind: "session", label: "", secretHash: secret(2), now: 1_000 });
        expect(await store.deleteOtherSessions(ann.id, tokenId(1))).toEqual([]);
        expect(await store.listTokens(bob.id, "session")).toHaveLength(2);
      });

      it("[N21] changing the password stores the new hash and ends every other session at once, keeping pairing tokens", async (ctx) => {
        const ann = await newUser("ann");
        await store.createToken({ id: tokenId(1), userId: ann.id, kind: "session", label: "here", secretHash: secret(1), now: 1_000 });
        await store.createToken({ id: tokenId(2), userId: ann.id, kind: "session", label: "there", secretHash: secret(2), now: 1_000 });
        await store.createToken({ id: tokenId(3), userId: ann.id, kind: "pairing", label: "bot", secretHash: secret(3), now: 1_000 });

        const gone = await store.changePassword(ann.id, "scrypt$new", tokenId(1));
        expect(gone?.map((t) => t.id)).toEqual([tokenId(2)]);
        expect((await store.getUser(ann.id))!.passwordHash).toBe("scrypt$new");
        expect((await store.getUserByEmail(ann.email))!.passwordHash).toBe("scrypt$new");
        expect(await store.findToken(secret(2))).toBeNull();
        expect((await store.findToken(secret(1)))?.id).toBe(tokenId(1));
        expect((await store.findToken(secret(3)))?.id).toBe(tokenId(3));

        await reopen(ctx);
        expect((await store.getUser(ann.id))!.passwordHash).toBe("scrypt$new");
        expect(await store.findToken(secret(2))).toBeNull();
      });

      it("[N21] a password change from a session that is gone, or is not a session of this user, changes nothing", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.createToken({ id: tokenId(1), userId: ann.id, kind: "session", label: "", secretHash: secret(1), now: 1_000 });
        await store.createToken({ id: tokenId(2), userId: ann.id, kind: "pairing", label: "bot", secretHash: secret(2), now: 1_000 });
        await store.createToken({ id: tokenId(3), userId: bob.id, kind: "session", label: "", secretHash: secret(3), now: 1_000 });
        await store.createToken({ id: tokenId(4), userId: ann.id, kind: "session", label: "", secretHash: secret(4), now: 1_000 });
        await store.deleteToken(ann.id, tokenId(4));
        for (const keep of [tokenId(2), tokenId(3), tokenId(4)]) expect(await store.changePassword(ann.id, "scrypt$other", keep)).toBeNull();
        expect((await store.getUser(ann.id))!.passwordHash).toBe(ann.passwordHash);
        expect(await store.findToken(secret(1))).not.toBeNull();
        expect(await store.findToken(secret(3))).not.toBeNull();
      });
    });

    describe("registration and invites", () => {
      const DAY = 24 * 60 * 60 * 1000;
      const code = (n: number): Uint8Array => new Uint8Array(32).fill(n);
      const invite = (userId: UserId, n: number, now = 1_000, expiresAt = now + 7 * DAY, label = `invite ${n}`) => ({
        id: `i_${String(n).padStart(22, "0")}`,
        userId,
        label,
        codeHash: code(n),
        now,
        expiresAt,
      });

      it("[N22] knows whether it has any user, and admits the first account without an invite but no second one", async () => {
        expect(await store.hasUsers()).toBe(false);
        const first = await store.createUserIfAdmitted("Owner@Example.test", "h", 1_000, null);
        expect(first).toMatchObject({ email: "owner@example.test", passwordHash: "h", createdAt: 1_000, head: 0, usedBytes: 0, vault: null });
        expect(await store.getUser((first as UserRecord).id)).toEqual(first);
        expect(await store.hasUsers()).toBe(true);
        expect(await store.createUserIfAdmitted("second@example.test", "h", 2_000, null)).toBe("refused");
        expect(await store.createUserIfAdmitted("second@example.test", "h", 2_000, code(9))).toBe("refused");
        expect(await store.getUserByEmail("second@example.test")).toBeNull();
      });

      it("[N22] an invite admits one account and is used up by it", async () => {
        const ann = await newUser("ann");
        const made = await store.createInvite(invite(ann.id, 1), 20);
        expect(made).toEqual({ id: invite(ann.id, 1).id, userId: ann.id, label: "invite 1", createdAt: 1_000, expiresAt: 1_000 + 7 * DAY });
        expect(await store.listInvites(ann.id, 2_000)).toEqual([made]);

        const bob = await store.createUserIfAdmitted("bob@example.test", "hb", 2_000, code(1));
        expect(bob).toMatchObject({ email: "bob@example.test", passwordHash: "hb" });
        expect(await store.getUserByEmail("bob@example.test")).toEqual(bob);
        expect(await store.listInvites(ann.id, 2_000)).toEqual([]);
        expect(await store.createUserIfAdmitted("carol@example.test", "hc", 3_000, code(1))).toBe("refused");
        expect(await store.getUserByEmail("carol@example.test")).toBeNull();
      });

      it("[N22] an invite whose email is taken answers taken and stays unused; a refused one never says whether the email exists", async () => {
        const ann = await newUser("ann");
        await store.createInvite(invite(ann.id, 1), 20);
        expect(await store.createUserIfAdmitted("ANN@example.test", "h", 2_000, code(1))).toBe("taken");
        expect(await store.listInvites(ann.id, 2_000)).toHaveLength(1);
        expect(await store.createUserIfAdmitted("ann@example.test", "h", 2_000, code(2))).toBe("refused");
        expect(await store.createUserIfAdmitted("bob@example.test", "h", 2_000, code(1))).toMatchObject({ email: "bob@example.test" });
      });

      it("[N22] an expired or deleted invite admits nobody", async () => {
        const ann = await newUser("ann");
        await store.createInvite(invite(ann.id, 1, 1_000, 5_000), 20);
        await store.createInvite(invite(ann.id, 2), 20);
        expect(await store.createUserIfAdmitted("late@example.test", "h", 5_000, code(1))).toBe("refused");
        expect(await store.deleteInvite(ann.id, invite(ann.id, 2).id)).toBe(true);
        expect(await store.deleteInvite(ann.id, invite(ann.id, 2).id)).toBe(false);
        expect(await store.createUserIfAdmitted("revoked@example.test", "h", 2_000, code(2))).toBe("refused");
        expect(await store.createUserIfAdmitted("early@example.test", "h", 4_999, code(1))).toMatchObject({ email: "early@example.test" });
      });

      it("[N22] lists only unexpired invites, oldest first, without their codes", async () => {
        const ann = await newUser("ann");
        await store.createInvite(invite(ann.id, 2, 2_000), 20);
        await store.createInvite(invite(ann.id, 1, 1_000), 20);
        await store.createInvite(invite(ann.id, 3, 1_500, 3_000), 20);
        const listed = await store.listInvites(ann.id, 2_500);
        expect(listed.map((i) => i.id)).toEqual([invite(ann.id, 1).id, invite(ann.id, 3).id, invite(ann.id, 2).id]);
        expect(listed.every((i) => !("codeHash" in i) && !("code" in i))).toBe(true);
        expect((await store.listInvites(ann.id, 3_000)).map((i) => i.id)).toEqual([invite(ann.id, 1).id, invite(ann.id, 2).id]);
      });

      it("[N22] refuses an invite past the outstanding cap; used and expired ones no longer count", async () => {
        const ann = await newUser("ann");
        expect(await store.createInvite(invite(ann.id, 1, 1_000, 5_000), 3)).not.toBeNull();
        expect(await store.createInvite(invite(ann.id, 2), 3)).not.toBeNull();
        expect(await store.createInvite(invite(ann.id, 3), 3)).not.toBeNull();
        expect(await store.createInvite(invite(ann.id, 4), 3)).toBeNull();
        expect((await store.listInvites(ann.id, 1_000)).map((i) => i.id)).not.toContain(invite(ann.id, 4).id);
        await store.createUserIfAdmitted("bob@example.test", "h", 2_000, code(2));
        expect(await store.createInvite(invite(ann.id, 4, 2_000), 3)).not.toBeNull();
        expect(await store.createInvite(invite(ann.id, 5, 2_000), 3)).toBeNull();
        expect(await store.createInvite(invite(ann.id, 5, 5_000), 3)).not.toBeNull();
        expect(await store.listInvites(ann.id, 5_000)).toHaveLength(3);
      });

      it("[N22] [X6] a user can neither list nor delete another user's invites", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.createInvite(invite(ann.id, 1), 20);
        expect(await store.listInvites(bob.id, 2_000)).toEqual([]);
        expect(await store.deleteInvite(bob.id, invite(ann.id, 1).id)).toBe(false);
        expect(await store.listInvites(ann.id, 2_000)).toHaveLength(1);
      });

      it("[N22] of registrations racing for one invite, exactly one gets in", async () => {
        const ann = await newUser("ann");
        await store.createInvite(invite(ann.id, 1), 20);
        const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => store.createUserIfAdmitted(`racer${i}@example.test`, "h", 2_000, code(1))));
        expect(outcomes.filter((o) => typeof o === "object")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "refused")).toHaveLength(4);
      });

      it("[N22] deleting a user deletes their invites, which then admit nobody", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        await store.createInvite(invite(ann.id, 1), 20);
        await store.createInvite(invite(bob.id, 2), 20);
        await store.deleteUser(ann.id);
        expect(await store.listInvites(ann.id, 2_000)).toEqual([]);
        expect(await store.createUserIfAdmitted("carol@example.test", "h", 2_000, code(1))).toBe("refused");
        expect(await store.listInvites(bob.id, 2_000)).toHaveLength(1);
      });

      it("[N22] [A1] keeps invites across a restart", async (ctx) => {
        const ann = await newUser("ann");
        const made = await store.createInvite(invite(ann.id, 1), 20);
        await reopen(ctx);
        expect(await store.listInvites(ann.id, 2_000)).toEqual([made]);
        expect(await store.createUserIfAdmitted("bob@example.test", "h", 2_000, code(1))).toMatchObject({ email: "bob@example.test" });
      });
    });

    describe("deleting a user", () => {
      it("removes the user's entries, ids, tokens, blobs and vault, and nothing of anyone else", async () => {
        const ann = await newUser("ann");
        const bob = await newUser("bob");
        const hash = "ef".repeat(32);
        for (const user of [ann, bob]) {
          await appendOk(user.id, update(streamOf(1), bodyOf(1), "same-id"));
          await store.addBlob(user.id, hash, 10, 1_000, QUOTA);
          await store.setVault(user.id, new Uint8Array([7]));
        }
        const secret = (n: number) => new Uint8Array(32).fill(n);
        await store.createToken({ id: "d_AnnAnnAnnAnnAnnAnnAnn0" as DeviceId, userId: ann.id, kind: "session", label: "", secretHash: secret(1), now: 1_000 });
        await store.createToken({ id: "d_BobBobBobBobBobBobBob0" as DeviceId, userId: bob.id, kind: "session", label: "", secretHash: secret(2), now: 1_000 });
        const bobBefore = await store.getUser(bob.id);
        const bobEntries = await all(bob.id);

        await store.deleteUser(ann.id);

        expect(await store.getUser(ann.id)).toBeNull();
        expect(await store.getUserByEmail(ann.email)).toBeNull();
        expect(await all(ann.id)).toEqual([]);
        expect(await store.blobSize(ann.id, hash)).toBeNull();
        expect(await store.findToken(secret(1))).toBeNull();
        expect(await store.listTokens(ann.id, "session")).toEqual([]);
        expect((await store.append(ann.id, update(streamOf(1), bodyOf(1), "fresh"), 1_000, QUOTA)).ok).toBe(false);

        expect(await store.getUser(bob.id)).toEqual(bobBefore);
        expect(await all(bob.id)).toEqual(bobEntries);
        expect(await store.blobSize(bob.id, hash)).toBe(10);
        expect((await store.findToken(secret(2)))?.userId).toBe(bob.id);
        expect(await store.append(bob.id, update(streamOf(1), bodyOf(1), "same-id"), 1_000, QUOTA)).toMatchObject({ duplicate: true });

        const again = await store.createUser(ann.email, "new", 5_000);
        expect(again).toMatchObject({ head: 0, usedBytes: 0, vault: null });
        expect(again!.id).not.toBe(ann.id);
        expect(await all(again!.id)).toEqual([]);
      });
    });

    describe("durability and closing", () => {
      it("[A1] keeps users, vaults, tokens, entries and blobs across a restart", async (ctx) => {
        const ann = await newUser("ann");
        await store.setVault(ann.id, new Uint8Array([4, 2]));
        await store.createToken({
          id: "d_AnnAnnAnnAnnAnnAnnAnn0" as DeviceId,
          userId: ann.id,
          kind: "pairing",
          label: "bot",
          secretHash: new Uint8Array(32).fill(3),
          now: 1_000,
        });
        await store.touchToken("d_AnnAnnAnnAnnAnnAnnAnn0" as DeviceId, 1_500);
        const s1 = await appendOk(ann.id, update(streamOf(1), bodyOf(1)));
        const s2 = await appendOk(ann.id, snapshot(streamOf(1), bodyOf(2), s1));
        await store.addBlob(ann.id, "12".repeat(32), 77, 1_000, QUOTA);
        const userBefore = await store.getUser(ann.id);
        const entriesBefore = await all(ann.id);

        await reopen(ctx);

        expect(await store.getUser(ann.id)).toEqual(userBefore);
        expect(userBefore!.head).toBe(s2);
        expect(await all(ann.id)).toEqual(entriesBefore);
        expect(await store.findToken(new Uint8Array(32).fill(3))).toMatchObject({ id: "d_AnnAnnAnnAnnAnnAnnAnn0", lastUsedAt: 1_500 });
        expect(await store.blobSize(ann.id, "12".repeat(32))).toBe(77);
        expect(await appendOk(ann.id, update(streamOf(2), bodyOf(3)))).toBeGreaterThan(s2);
      });

      it("[A1] close writes the appends still waiting for their commit", async (ctx) => {
        const ann = await newUser("ann");
        const pending = [1, 2, 3].map((n) => store.append(ann.id, update(streamOf(1), bodyOf(n)), 1_000, QUOTA));
        await close();
        const seqs = (await Promise.all(pending)).map(okSeq);
        await reopen(ctx);
        expect((await all(ann.id)).map((e) => e.seq)).toEqual(seqs);
      });

      it("refuses every call once closed", async () => {
        const ann = await newUser("ann");
        await close();
        await expect(store.append(ann.id, update(streamOf(1), bodyOf(1)), 1_000, QUOTA)).rejects.toThrow(/closed/);
        await expect(store.readAfter(ann.id, 0, { limit: 1, maxBytes: 1 })).rejects.toThrow(/closed/);
        await expect(store.getUser(ann.id)).rejects.toThrow(/closed/);
        await expect(store.createUser("x@example.test", "h", 1)).rejects.toThrow(/closed/);
      });
    });
  });
}
