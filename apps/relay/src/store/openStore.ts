import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BlobFiles } from "./BlobFiles.js";
import type { LogStore } from "./LogStore.js";
import { SqliteLogStore, type SqliteLogStoreOptions } from "./SqliteLogStore.js";

/** The relay's storage: the log store and the blob files beside it. */
export interface RelayStore {
  logStore: LogStore;
  blobs: BlobFiles;
}

/**
 * Opens the relay's data directory, creating it when missing: `<dataDir>/relay.db` (SQLite) and
 * `<dataDir>/blobs/`. Temp files a crash left among the blobs, and blob files without a record
 * (docs/protocol.md N23), are removed. The directory is the relay's own (0700) and the database
 * its alone (0600; SQLite gives its WAL files the same mode).
 *
 * @example
 * const { logStore, blobs } = await openStore(config.dataDir);
 */
export async function openStore(dataDir: string, options?: SqliteLogStoreOptions): Promise<RelayStore> {
  const blobDir = join(dataDir, "blobs");
  await mkdir(blobDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const blobs = new BlobFiles(blobDir);
  const dbPath = join(dataDir, "relay.db");
  const logStore = new SqliteLogStore(dbPath, options);
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) await chmod(f, 0o600).catch(() => undefined);
  try {
    await blobs.removeLeftovers(async (userId, hash) => (await logStore.blobSize(userId, hash)) !== null);
  } catch (e) {
    await logStore.close();
    throw e;
  }
  return { logStore, blobs };
}
