import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { parseBlobHash, parseUserId, type BlobHash, type UserId } from "@botschat/protocol";

/** How {@link BlobFiles.write} ended. */
export type BlobWriteResult = { ok: true; size: number; existed: boolean } | { ok: false; code: "too_large" | "hash_mismatch" };

/** An open blob, ready to stream. */
export interface BlobFile {
  stream: Readable;
  size: number;
}

const TEMP_PREFIX = ".tmp-";

/**
 * Blob bytes on disk, one file per user and hash: `<dir>/<userId>/<hash>`.
 *
 * A write goes to a temp file in the same directory while its SHA-256 is computed, is fsynced,
 * renamed over the final name, and the directory is fsynced, so a blob is either absent or whole
 * after a crash. The user id and hash are checked before they become part of a path.
 *
 * @example
 * const blobs = new BlobFiles(join(dataDir, "blobs"));
 * const written = await blobs.write(userId, hash, request.body, limits.blobBytes);
 */
export class BlobFiles {
  constructor(readonly dir: string) {}

  /**
   * Streams `source` into the blob `hash` of this user. Stops reading as soon as more than
   * `limitBytes` arrived (`too_large`); refuses bytes whose SHA-256 is not `hash`
   * (`hash_mismatch`). `existed` is true when the user already had this blob (the new copy,
   * byte-identical by its hash, is dropped).
   */
  async write(userId: UserId, hash: BlobHash, source: AsyncIterable<Uint8Array>, limitBytes: number): Promise<BlobWriteResult> {
    const userDir = this.#userDir(userId);
    const target = join(userDir, checkHash(hash));
    await mkdir(userDir, { recursive: true, mode: 0o700 });
    const temp = join(userDir, `${TEMP_PREFIX}${randomBytes(12).toString("hex")}`);
    const file = await open(temp, "wx", 0o600);
    let keep = false;
    try {
      const sha = createHash("sha256");
      let size = 0;
      let tooLarge = false;
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > limitBytes) {
          // Leaving the loop stops the source (its iterator's `return` is called).
          tooLarge = true;
          break;
        }
        sha.update(chunk);
        await writeAll(file, chunk);
      }
      if (tooLarge) return { ok: false, code: "too_large" };
      if (sha.digest("hex") !== hash) return { ok: false, code: "hash_mismatch" };
      await file.sync();
      await file.close();
      const existing = await sizeOf(target);
      if (existing !== null) return { ok: true, size: existing, existed: true };
      await rename(temp, target);
      keep = true;
      await syncDir(userDir);
      return { ok: true, size, existed: false };
    } finally {
      await file.close().catch(() => undefined);
      if (!keep) await unlink(temp).catch(() => undefined);
    }
  }

  /** The blob's bytes as a stream, with its size; null when this user has no such blob. */
  async open(userId: UserId, hash: string): Promise<BlobFile | null> {
    if (!parseBlobHash(hash) || !parseUserId(userId)) return null;
    let file: FileHandle;
    try {
      file = await open(join(this.dir, userId, hash), "r");
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
    try {
      const { size } = await file.stat();
      // The stream owns the handle from here and closes it when done or destroyed.
      return { stream: file.createReadStream(), size };
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  /** Deletes one blob of this user; nothing happens when it is absent. */
  async remove(userId: UserId, hash: BlobHash): Promise<void> {
    await rm(join(this.#userDir(userId), checkHash(hash)), { force: true });
  }

  /** Deletes every blob of this user. */
  async deleteUser(userId: UserId): Promise<void> {
    await rm(this.#userDir(userId), { recursive: true, force: true });
  }

  /**
   * Removes what a crash left behind: temp files, and blob files `isStored` says have no record
   * (an upload stopped between its file and its record, a deletion between its record and its
   * file: docs/protocol.md N23). Call it before serving: a file written at the same time would be
   * deleted under its writer.
   */
  async removeLeftovers(isStored?: (userId: UserId, hash: BlobHash) => Promise<boolean>): Promise<void> {
    let users: string[];
    try {
      users = await readdir(this.dir);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    for (const user of users) {
      const userId = parseUserId(user);
      if (!userId) continue;
      const names = await readdir(join(this.dir, user)).catch(() => [] as string[]);
      for (const name of names) {
        const hash = parseBlobHash(name);
        const orphan = hash !== undefined && isStored !== undefined && !(await isStored(userId, hash));
        if (name.startsWith(TEMP_PREFIX) || orphan) await rm(join(this.dir, user, name), { force: true });
      }
    }
  }

  #userDir(userId: UserId): string {
    if (!parseUserId(userId)) throw new TypeError("Not a user id.");
    return join(this.dir, userId);
  }
}

/** Refuses anything but 64 lowercase hex before it can reach a path (no `..`, no `/`). */
function checkHash(hash: string): BlobHash {
  const parsed = parseBlobHash(hash);
  if (!parsed) throw new TypeError("A blob hash is 64 lowercase hex characters.");
  return parsed;
}

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const file = await open(path, "r");
    try {
      return (await file.stat()).size;
    } finally {
      await file.close();
    }
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Makes a rename durable: on Linux the directory entry is only on disk once the directory is synced. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === "ENOENT";
}
