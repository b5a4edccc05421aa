import * as A from "@automerge/automerge";
import { openEntry, openVault, type VaultKeys } from "@botschat/crypto";
import { SyncClient } from "@botschat/relay-testkit";
import { readLogWith, type StoredLog } from "./syncFixture.js";

/** Whatever reads a user's stored log: a fixture of either relay. */
export interface LogSource {
  readLog(token: string): Promise<StoredLog>;
}

/** The user's whole stored log on the relay process at `wsUrl`, as a new device with a raw socket reads it. */
export async function readLog(wsUrl: string, token: string): Promise<StoredLog> {
  return readLogWith(await SyncClient.connect(wsUrl), token);
}

/** How many entries the relay holds for this user. */
export async function storedEntries(source: LogSource, token: string): Promise<number> {
  return (await source.readLog(token)).entries.length;
}

/** The vault keys of a user's workspace, from the relay's `welcome` and the passphrase. */
export function keysOf(vault: Uint8Array | null, passphrase: string): VaultKeys {
  if (!vault) throw new Error("the account has no vault");
  const opened = openVault(vault, passphrase);
  if (!opened.ok) throw new Error(`cannot open the vault: ${opened.reason}`);
  return opened.keys;
}

/**
 * Reads the user's whole log as a new device would and lists the update entries that brought no
 * Automerge change the document did not already have: a change sent twice shows up here.
 */
export async function duplicateChanges(source: LogSource, token: string, passphrase: string): Promise<number[]> {
  const { vault, entries } = await source.readLog(token);
  const keys = keysOf(vault, passphrase);
  const docs = new Map<string, A.Doc<unknown>>();
  const dupes: number[] = [];
  for (const f of entries) {
    const e = openEntry(keys, f);
    if (!e.ok || e.deleted) continue;
    const before = docs.get(e.doc) ?? A.init();
    const after = A.loadIncremental(A.clone(before), e.data);
    // An update waiting for history a later snapshot brings (it came after that snapshot's
    // covers, [S2]) adds nothing yet but is no duplicate: only a fully applicable one can be.
    const pending = A.getMissingDeps(after, []).length > 0;
    if (f.kind === "update" && !pending && A.getAllChanges(after).length === A.getAllChanges(before).length) dupes.push(f.seq);
    docs.set(e.doc, after);
  }
  return dupes;
}
