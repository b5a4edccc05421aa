import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink, type FileHandle } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { decodeCbor, encodeCbor } from "@botschat/protocol";
import { checkChunkData, checkChunkKey } from "./chunkKey.js";
import { decodeSegment, segmentDirNames } from "./chunkSegmentNames.js";
import { checkSyncTx, copyBytes } from "./checkSyncTx.js";
import { frameRecord, readRecords } from "./journalRecords.node.js";
import { LOCK_FILE, lockDirectory } from "./lockDirectory.node.js";
import type { PeerStorage, SyncSnapshot, SyncTx } from "./PeerStorage.js";
import { applySyncTx, emptySyncState, syncSnapshotOf, type SyncState } from "./SyncState.js";

/** Options of {@link FilePeerStorage.open}. */
export interface FilePeerStorageOptions {
  /**
   * The journal is compacted into the snapshot once it is larger than both this and the last
   * snapshot (so rewriting the snapshot costs at most as much as the journal writes it replaces).
   * Default 1 MiB.
   */
  compactAfterBytes?: number;
}

const CHUNKS = "chunks";
const SYNC = "sync";
const JOURNAL = "journal";
const SNAPSHOT = "snapshot";
const SNAPSHOT_TMP = "snapshot.tmp";
/** The file holding a chunk's bytes, inside the directory of its key. */
const DATA = "v";
/** A workspace copy is its owner's alone: directories 0700, files 0600 (whatever the umask lets others read). */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Prefix of a chunk's temporary file before its rename to {@link DATA}. */
const TEMP = "t";
const FORMAT = 1;

const errCode = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/** A journal record: the commit's number and the checked transaction. */
interface JournalRecord {
  n: number;
  tx: SyncTx;
}

/** The snapshot file: the whole state as one transaction from empty, as of commit `n`. */
interface SnapshotRecord extends JournalRecord {
  v: number;
}

/**
 * A plain `Uint8Array` over a buffer `readFile` returned. `readFile` allocates each file its own
 * exactly sized buffer, so the view needs no copy; anything else is copied.
 */
function asUint8(buffer: Uint8Array): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return new Uint8Array(buffer.buffer);
  return copyBytes(buffer);
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return asUint8(await readFile(path));
  } catch (e) {
    if (errCode(e) === "ENOENT") return undefined;
    throw e;
  }
}

/** Makes a directory's entries (a rename, a new or removed file) durable. */
async function syncDir(path: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; NTFS journals its metadata itself.
  if (process.platform === "win32") return;
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.byteLength) at += (await fh.write(bytes, at, bytes.byteLength - at)).bytesWritten;
}

/** Writes `bytes` to `path` through a temporary file, fsync and rename, then syncs the directory. */
async function writeFileAtomic(path: string, tempPath: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(tempPath, "w", FILE_MODE);
  try {
    await writeAll(fh, bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tempPath, path);
  await syncDir(dirname(path));
}

/**
 * A {@link PeerStorage} in a directory, for the plugin and other Node peers. One instance at a
 * time may open a directory: `open` takes `dir/lock` (see `lockDirectory`) and `close` releases it.
 *
 * Layout: `chunks/` holds one file per chunk, at a directory path made of its key's segments
 * (encoded by `segmentDirNames`, so any string is a safe, case-insensitively distinct name),
 * each written to a temporary file, fsynced and renamed into place. `sync/journal` is an
 * append-only log of commits, each a length-prefixed, CRC-checked CBOR record written and
 * fsynced before `commit` resolves; loading replays it and ignores a torn or damaged tail, so a
 * crash leaves the state of the last commit that completed. When the journal outgrows the
 * snapshot, the whole state is written to `sync/snapshot` (temporary file, fsync, rename, fsync
 * of the directory) and the journal is emptied; records carry commit numbers, so a crash between
 * those two steps replays nothing twice.
 *
 * @example
 * ```ts
 * const storage = await FilePeerStorage.open(join(stateDir, "botschat", workspaceId));
 * const repo = new Repo({ storage: new PeerStorageAdapter(storage), network: [] });
 * ```
 */
export class FilePeerStorage implements PeerStorage {
  readonly #dir: string;
  readonly #compactAfter: number;
  #state: SyncState = emptySyncState();
  #journal: FileHandle | undefined;
  #journalBytes = 0;
  #snapshotBytes = 0;
  #commits = 0;
  /** Commits, compactions, clear and close run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #unlock: () => Promise<void> = async () => undefined;
  /** Set when the journal may hold a partial record that could not be cut off: nothing more is written. */
  #broken: Error | undefined;

  private constructor(dir: string, options: FilePeerStorageOptions) {
    this.#dir = dir;
    this.#compactAfter = options.compactAfterBytes ?? 1024 * 1024;
  }

  /** Opens (creating if needed) the store in `dir` and loads its sync state. */
  static async open(dir: string, options: FilePeerStorageOptions = {}): Promise<FilePeerStorage> {
    const storage = new FilePeerStorage(dir, options);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    storage.#unlock = await lockDirectory(dir);
    try {
      await storage.#load();
    } catch (e) {
      await storage.#unlock();
      throw e;
    }
    return storage;
  }

  get #syncDir(): string {
    return join(this.#dir, SYNC);
  }

  async #load(): Promise<void> {
    await mkdir(join(this.#dir, CHUNKS), { recursive: true, mode: DIR_MODE });
    await mkdir(this.#syncDir, { recursive: true, mode: DIR_MODE });
    await rm(join(this.#syncDir, SNAPSHOT_TMP), { force: true });
    const state = emptySyncState();
    let last = 0;

    const snapshotBytes = await readOptional(join(this.#syncDir, SNAPSHOT));
    if (snapshotBytes) {
      const { payloads, validLength } = readRecords(snapshotBytes);
      if (payloads.length !== 1 || validLength !== snapshotBytes.byteLength) {
        throw new Error(`FilePeerStorage: ${join(this.#syncDir, SNAPSHOT)} is damaged`);
      }
      const record = this.#decode(payloads[0] as Uint8Array) as SnapshotRecord;
      if (record.v !== FORMAT) throw new Error(`FilePeerStorage: unknown snapshot format ${String(record.v)}`);
      applySyncTx(state, record.tx);
      last = record.n;
      this.#snapshotBytes = snapshotBytes.byteLength;
    }

    const journalPath = join(this.#syncDir, JOURNAL);
    const journalBytes = (await readOptional(journalPath)) ?? new Uint8Array(0);
    const { payloads, validLength } = readRecords(journalBytes);
    for (const payload of payloads) {
      const record = this.#decode(payload);
      // Records up to the snapshot's commit are already in it (a crash came between writing the
      // snapshot and emptying the journal).
      if (record.n <= last) continue;
      if (record.n !== last + 1) throw new Error(`FilePeerStorage: journal skips from commit ${last} to ${record.n}`);
      applySyncTx(state, record.tx);
      last = record.n;
    }

    this.#journal = await open(journalPath, "a", FILE_MODE);
    if (validLength < journalBytes.byteLength) {
      // Cut the torn tail off, or later records would sit behind it, unreadable.
      await this.#journal.truncate(validLength);
      await this.#journal.sync();
    }
    await syncDir(this.#syncDir);
    await syncDir(this.#dir);
    this.#state = state;
    this.#commits = last;
    this.#journalBytes = validLength;
  }

  #decode(payload: Uint8Array): JournalRecord {
    const raw = decodeCbor(payload) as Partial<JournalRecord> & { v?: number };
    if (typeof raw !== "object" || raw === null || typeof raw.n !== "number" || typeof raw.tx !== "object") {
      throw new Error("FilePeerStorage: a sync record has an unknown shape");
    }
    return { ...raw, n: raw.n, tx: checkSyncTx(raw.tx as SyncTx) };
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error("FilePeerStorage is closed");
  }

  /** Runs `task` after everything queued before it; a failure does not stop the queue. */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // ---- chunks ----

  #chunkDir(key: string[]): string {
    return join(this.#dir, CHUNKS, ...key.flatMap(segmentDirNames));
  }

  async load(key: string[]): Promise<Uint8Array | undefined> {
    this.#checkOpen();
    return readOptional(join(this.#chunkDir(checkChunkKey(key)), DATA));
  }

  async save(key: string[], data: Uint8Array): Promise<void> {
    this.#checkOpen();
    const dir = this.#chunkDir(checkChunkKey(key));
    const bytes = copyBytes(checkChunkData(data));
    // A concurrent removeRange may delete the directory between mkdir and rename: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await mkdir(dir, { recursive: true, mode: DIR_MODE });
        if (created !== undefined) await this.#syncNewDirs(created, dir);
        await writeFileAtomic(join(dir, DATA), join(dir, `${TEMP}${randomUUID()}`), bytes);
        return;
      } catch (e) {
        if (errCode(e) !== "ENOENT" || attempt >= 3) throw e;
      }
    }
  }

  /** Makes new directories `first`…`last` durable in their parents. */
  async #syncNewDirs(first: string, last: string): Promise<void> {
    const parts = relative(first, last)
      .split(sep)
      .filter((p) => p !== "");
    let dir = first;
    await syncDir(dirname(first));
    for (const part of parts) {
      await syncDir(dir);
      dir = join(dir, part);
    }
  }

  async remove(key: string[]): Promise<void> {
    this.#checkOpen();
    const dir = this.#chunkDir(checkChunkKey(key));
    try {
      await unlink(join(dir, DATA));
      await syncDir(dir);
    } catch (e) {
      if (errCode(e) !== "ENOENT") throw e;
    }
  }

  async loadRange(prefix: string[]): Promise<{ key: string[]; data: Uint8Array | undefined }[]> {
    this.#checkOpen();
    checkChunkKey(prefix);
    const out: { key: string[]; data: Uint8Array }[] = [];
    const root = this.#chunkDir(prefix);
    const last =
      prefix.length === 0
        ? undefined
        : segmentDirNames(prefix[prefix.length - 1] as string)
            .map((n) => n.slice(1))
            .join("");
    await this.#walk(root, prefix.slice(0, -1), last, false, out);
    return out;
  }

  /**
   * Collects the chunks under `dir`, the directory of key `key` + the segment being spelled
   * (`pending`, encoded; `undefined` at the tree's root). `c` children continue that segment,
   * which the prefix's own directory must not follow (a longer segment is not the prefix's).
   */
  async #walk(
    dir: string,
    key: string[],
    pending: string | undefined,
    followContinuations: boolean,
    out: { key: string[]; data: Uint8Array }[],
  ): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if (errCode(e) === "ENOENT" || errCode(e) === "ENOTDIR") return;
      throw e;
    }
    const here = pending === undefined ? key : [...key, decodeSegment(pending)];
    for (const name of names) {
      if (name === DATA) {
        const bytes = await readOptional(join(dir, name));
        if (bytes) out.push({ key: here, data: bytes });
      } else if (name.startsWith("s")) {
        await this.#walk(join(dir, name), here, name.slice(1), true, out);
      } else if (name.startsWith("c") && followContinuations && pending !== undefined) {
        await this.#walk(join(dir, name), key, pending + name.slice(1), true, out);
      }
    }
  }

  async removeRange(prefix: string[]): Promise<void> {
    this.#checkOpen();
    const dir = this.#chunkDir(checkChunkKey(prefix));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if (errCode(e) === "ENOENT" || errCode(e) === "ENOTDIR") return;
      throw e;
    }
    // The prefix's own data and every key below it; `c` children belong to longer segments.
    const doomed = names.filter((n) => n === DATA || n.startsWith("s") || n.startsWith(TEMP) || (prefix.length === 0 && n.startsWith("c")));
    await Promise.all(doomed.map((n) => rm(join(dir, n), { recursive: true, force: true, maxRetries: 3 })));
    if (doomed.length > 0) await syncDir(dir);
  }

  // ---- sync state ----

  async loadSync(): Promise<SyncSnapshot> {
    this.#checkOpen();
    // Wait for commits already called, so a read follows the writes before it.
    return this.#enqueue(async () => syncSnapshotOf(this.#state));
  }

  async commit(tx: SyncTx): Promise<void> {
    this.#checkOpen();
    const checked = checkSyncTx(tx);
    return this.#enqueue(async () => {
      if (this.#broken) throw this.#broken;
      const journal = this.#journal as FileHandle;
      const n = this.#commits + 1;
      const record = frameRecord(encodeCbor({ n, tx: checked } satisfies JournalRecord));
      try {
        await writeAll(journal, record);
        await journal.datasync();
      } catch (e) {
        await this.#cutJournal(journal);
        throw e;
      }
      this.#commits = n;
      this.#journalBytes += record.byteLength;
      applySyncTx(this.#state, checked);
      if (this.#journalBytes > Math.max(this.#compactAfter, this.#snapshotBytes)) {
        // The commit is durable already: a failed compaction leaves the journal to be compacted later.
        await this.#compact().catch((e: unknown) => console.warn("FilePeerStorage: compaction failed, will retry", e));
      }
    });
  }

  /** After a failed append: drop whatever part of the record reached the file. */
  async #cutJournal(journal: FileHandle): Promise<void> {
    try {
      await journal.truncate(this.#journalBytes);
      await journal.sync();
    } catch (e) {
      this.#broken = new Error("FilePeerStorage: the journal could not be repaired after a failed write; reopen the store", { cause: e });
    }
  }

  async #compact(): Promise<void> {
    const s = this.#state;
    const whole: SnapshotRecord = {
      v: FORMAT,
      n: this.#commits,
      tx: { cursor: s.cursor, docs: [...s.docs], outboxAdd: [...s.outbox.values()], meta: [...s.meta] },
    };
    const bytes = frameRecord(encodeCbor(whole));
    await writeFileAtomic(join(this.#syncDir, SNAPSHOT), join(this.#syncDir, SNAPSHOT_TMP), bytes);
    this.#snapshotBytes = bytes.byteLength;
    const journal = this.#journal as FileHandle;
    await journal.truncate(0);
    await journal.sync();
    this.#journalBytes = 0;
  }

  // ---- lifecycle ----

  async clear(): Promise<void> {
    this.#checkOpen();
    return this.#enqueue(async () => {
      await this.#journal?.close();
      this.#journal = undefined;
      const names = (await readdir(this.#dir)).filter((n) => n !== LOCK_FILE);
      await Promise.all(names.map((n) => rm(join(this.#dir, n), { recursive: true, force: true, maxRetries: 3 })));
      await syncDir(this.#dir);
      this.#snapshotBytes = 0;
      this.#broken = undefined;
      await this.#load();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#enqueue(async () => {
      await this.#journal?.close();
      this.#journal = undefined;
      await this.#unlock();
    });
  }
}
