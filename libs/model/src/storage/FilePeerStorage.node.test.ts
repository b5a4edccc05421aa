import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FilePeerStorage } from "./FilePeerStorage.node.js";
import type { OutboxEntry, SyncTx } from "./PeerStorage.js";
import { runPeerStorageConformance } from "./runPeerStorageConformance.js";

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "botschat-peer-storage-"));

runPeerStorageConformance("FilePeerStorage", async () => {
  const dir = await tempDir();
  // A small compaction threshold, so the suite's many commits go through snapshots too.
  const options = { compactAfterBytes: 16 * 1024 };
  return {
    storage: await FilePeerStorage.open(dir, options),
    reopen: () => FilePeerStorage.open(dir, options),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const entry = (id: string): OutboxEntry => ({
  id,
  doc: `doc-${id}`,
  stream: bytes(1, 2),
  kind: "update",
  body: new TextEncoder().encode(`body ${id}`),
  createdAt: 1_700_000_000_000,
});
const docState = (n: number) => ({
  stream: bytes(n),
  knownHeads: [`h${n}`],
  lastSeq: n,
  updatesSinceSnapshot: n,
  updateBytesSinceSnapshot: 10 * n,
  snapshotBytes: 100 * n,
});

/** A few commits of every kind, so the journal holds a realistic history. */
const HISTORY: SyncTx[] = [
  {
    cursor: 1,
    docs: [
      ["d1", docState(1)],
      ["d2", docState(2)],
    ],
    outboxAdd: [entry("e1"), entry("e2")],
    meta: [["device", bytes(7, 7)]],
  },
  { cursor: 2, outboxRemove: ["e1"], outboxAdd: [entry("e3")] },
  { docs: [["d1", { ...docState(3), deleted: true }]], meta: [["vault", bytes(1, 2, 3)]] },
];
/** The commit the crash tests tear: it touches every part of the state. */
const LAST: SyncTx = {
  cursor: 9,
  docs: [["d3", docState(9)]],
  dropDocs: ["d2"],
  outboxRemove: ["e2"],
  outboxAdd: [entry("e4"), entry("e2")],
  meta: [
    ["device", null],
    ["cursor-note", bytes(9)],
  ],
};

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

describe("FilePeerStorage", () => {
  const dirs: string[] = [];
  const freshDir = async (): Promise<string> => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it("a journal torn at any byte of its last record loads as exactly the state before or after that commit", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir);
    for (const tx of HISTORY) await storage.commit(tx);
    const before = await storage.loadSync();
    const start = (await stat(join(dir, "sync", "journal"))).size;
    await storage.commit(LAST);
    const after = await storage.loadSync();
    await storage.close();
    const journal = await readFile(join(dir, "sync", "journal"));
    expect(journal.byteLength).toBeGreaterThan(start);

    const scratch = await freshDir();
    for (let cut = start; cut <= journal.byteLength; cut++) {
      await rm(scratch, { recursive: true, force: true });
      await mkdir(join(scratch, "sync"), { recursive: true });
      await writeFile(join(scratch, "sync", "journal"), journal.subarray(0, cut));
      const reopened = await FilePeerStorage.open(scratch);
      expect(await reopened.loadSync(), `journal cut at ${cut} of ${journal.byteLength}`).toStrictEqual(cut === journal.byteLength ? after : before);
      // Every few offsets: the torn tail is cut off, so a new commit lands where a reload finds it.
      if (cut % 5 === 0 || cut === start) {
        await reopened.commit({ cursor: 100 });
        await reopened.close();
        const again = await FilePeerStorage.open(scratch);
        expect((await again.loadSync()).cursor, `commit after a cut at ${cut}`).toBe(100);
        await again.close();
      } else {
        await reopened.close();
      }
    }
  });

  it("a crash between writing the snapshot and emptying the journal replays nothing twice", async () => {
    const a = await freshDir();
    const b = await freshDir();
    const first = await FilePeerStorage.open(a);
    for (const tx of HISTORY) await first.commit(tx);
    await first.close();
    await mkdir(join(b, "sync"));
    await writeFile(join(b, "sync", "journal"), await readFile(join(a, "sync", "journal")));

    // a: the last commit compacts, leaving a snapshot of all four commits and an empty journal.
    const compacting = await FilePeerStorage.open(a, { compactAfterBytes: 1 });
    await compacting.commit(LAST);
    const expected = await compacting.loadSync();
    await compacting.close();
    expect((await stat(join(a, "sync", "journal"))).size).toBe(0);
    // b: the same four commits, all still in the journal.
    const plain = await FilePeerStorage.open(b);
    await plain.commit(LAST);
    await plain.close();

    // Snapshot written, journal not yet emptied: every journal record is already in the snapshot.
    await writeFile(join(a, "sync", "journal"), await readFile(join(b, "sync", "journal")));
    const recovered = await FilePeerStorage.open(a);
    expect(await recovered.loadSync()).toStrictEqual(expected);
    await recovered.commit({ outboxRemove: ["e3"] });
    await recovered.close();
    const again = await FilePeerStorage.open(a);
    expect((await again.loadSync()).outbox.map((e) => e.id)).toEqual(["e4", "e2"]);
    await again.close();
  });

  it("compaction keeps the journal small and the state whole", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir, { compactAfterBytes: 4096 });
    for (let i = 0; i < 500; i++)
      await storage.commit({ cursor: i + 1, docs: [[`d${i % 10}`, docState(i)]], outboxAdd: [entry(`e${i}`)], outboxRemove: [`e${i - 3}`] });
    const expected = await storage.loadSync();
    await storage.close();
    expect((await stat(join(dir, "sync", "journal"))).size).toBeLessThan(4096 + 1024);
    expect((await stat(join(dir, "sync", "snapshot"))).size).toBeGreaterThan(0);
    const reopened = await FilePeerStorage.open(dir);
    expect(await reopened.loadSync()).toStrictEqual(expected);
    expect((await reopened.loadSync()).outbox.map((e) => e.id)).toEqual(["e497", "e498", "e499"]);
    await reopened.close();
  });

  it("a left-over temporary snapshot is ignored, and a damaged snapshot is an error, not an empty store", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir, { compactAfterBytes: 1 });
    await storage.commit({ cursor: 5 });
    await storage.close();
    await writeFile(join(dir, "sync", "snapshot.tmp"), bytes(1, 2, 3));
    const reopened = await FilePeerStorage.open(dir);
    expect((await reopened.loadSync()).cursor).toBe(5);
    await reopened.close();

    const snapshot = await readFile(join(dir, "sync", "snapshot"));
    const last = snapshot.byteLength - 1;
    snapshot[last] = (snapshot[last] as number) ^ 0xff;
    await writeFile(join(dir, "sync", "snapshot"), snapshot);
    await expect(FilePeerStorage.open(dir)).rejects.toThrow(/damaged/);
  });

  it("chunk files stay inside the directory, under safe names, whatever the keys hold", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir);
    const keys = [["..", "..", "escape"], ["/etc/passwd"], ["a\\..\\b"], ["C:", "x"], ["Doc", "snapshot", "HASH"], ["😀", ""], ["y".repeat(500)]];
    for (const key of keys) await storage.save(key, bytes(1));
    for (const file of await listFiles(dir)) {
      const rel = relative(dir, file).split(sep);
      if (rel[0] === "sync" || rel[0] === "lock") continue;
      expect(rel[0]).toBe("chunks");
      expect(rel.at(-1)).toBe("v");
      for (const name of rel.slice(1, -1)) expect(name).toMatch(/^[sc][a-z0-9_^~-]{0,200}$/);
    }
    expect((await storage.loadRange([])).map((c) => c.key).sort()).toEqual([...keys].sort());
    await storage.close();
  });

  it("the workspace copy is its owner's alone: directories 0700, files 0600, whatever the umask", async () => {
    const dir = join(await freshDir(), "copy");
    const storage = await FilePeerStorage.open(dir, { compactAfterBytes: 256 });
    for (const [i, tx] of HISTORY.entries()) {
      await storage.commit(tx);
      await storage.save(["Doc", `d${i}`, "incremental", "h"], bytes(i));
    }
    await storage.commit(LAST);
    const modes = new Map<string, number>();
    const walk = async (d: string): Promise<void> => {
      modes.set(d, (await stat(d)).mode & 0o777);
      for (const e of await readdir(d, { withFileTypes: true })) {
        const path = join(d, e.name);
        if (e.isDirectory()) await walk(path);
        else modes.set(path, (await stat(path)).mode & 0o777);
      }
    };
    await walk(dir);
    expect(modes.size).toBeGreaterThan(6);
    for (const [path, mode] of modes) {
      const isDir = (await stat(path)).isDirectory();
      expect(mode.toString(8), relative(dir, path) || ".").toBe(isDir ? "700" : "600");
    }
    await storage.close();
  });

  it("no temporary file is left beside a saved chunk, and a stray one is never read as a chunk", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir);
    await storage.save(["doc", "snapshot", "h"], bytes(1, 2));
    const chunkDir = join(dir, "chunks", "sdoc", "ssnapshot", "sh");
    expect(await readdir(chunkDir)).toEqual(["v"]);
    await writeFile(join(chunkDir, "tstray"), bytes(9));
    await writeFile(join(dir, "chunks", "sdoc", "tstray"), bytes(9));
    expect(await storage.loadRange(["doc"])).toStrictEqual([{ key: ["doc", "snapshot", "h"], data: bytes(1, 2) }]);
    await storage.removeRange(["doc"]);
    expect(await storage.loadRange([])).toStrictEqual([]);
    await storage.close();
  });

  it("a prefix whose last segment spans several names matches that segment only, not longer ones", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir);
    const long = "z".repeat(200);
    await storage.save([long], bytes(1));
    await storage.save([long, "child"], bytes(2));
    await storage.save([`${long}z`], bytes(3));
    expect((await storage.loadRange([long])).map((c) => c.key)).toEqual(expect.arrayContaining([[long], [long, "child"]]));
    expect(await storage.loadRange([long])).toHaveLength(2);
    await storage.removeRange([long]);
    expect(await storage.loadRange([])).toStrictEqual([{ key: [`${long}z`], data: bytes(3) }]);
    await storage.close();
  });

  it("a directory is open in one place at a time; a lock left by a dead process is taken over", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir);
    await expect(FilePeerStorage.open(dir)).rejects.toThrow(/already open/);
    await storage.close();
    const again = await FilePeerStorage.open(dir);
    await again.close();

    // A process id above Linux's largest (2^22) stands for a process that died holding the lock.
    await writeFile(join(dir, "lock"), "99999999");
    const afterCrash = await FilePeerStorage.open(dir);
    await afterCrash.close();
    // A live process (the test runner's parent) holds it: refuse.
    await writeFile(join(dir, "lock"), String(process.ppid));
    await expect(FilePeerStorage.open(dir)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it("clear removes the directory's contents but keeps the directory", async () => {
    const dir = await freshDir();
    const storage = await FilePeerStorage.open(dir, { compactAfterBytes: 1 });
    await storage.save(["doc"], bytes(1));
    await storage.commit({ cursor: 3 });
    await writeFile(join(dir, "unrelated"), "x");
    await storage.clear();
    expect((await readdir(dir)).sort()).toEqual(["chunks", "lock", "sync"]);
    expect((await listFiles(dir)).sort()).toEqual([join(dir, "lock"), join(dir, "sync", "journal")]);
    await storage.close();
  });
});
