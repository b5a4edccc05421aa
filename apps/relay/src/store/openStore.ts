import { mkdir } from "node:fs/promises";
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
 * `<dataDir>/blobs/`. Temp files a crash left among the blobs are removed.
 *
 * @example
 * const { logStore, blobs } = await openStore(config.dataDir);
 */
export async function openStore(dataDir: string, options?: SqliteLogStoreOptions): Promise<RelayStore> {
  const blobDir = join(dataDir, "blobs");
  await mkdir(blobDir, { recursive: true, mode: 0o700 });
  const blobs = new BlobFiles(blobDir);
  await blobs.removeLeftovers();
  const logStore = new SqliteLogStore(join(dataDir, "relay.db"), options);
  return { logStore, blobs };
}
