import type { DocHandle, DocumentId, Repo } from "@automerge/automerge-repo";

/**
 * Everything the sync engine relies on in automerge-repo (2.x) beyond its documented contract,
 * in one place. Each assumption is pinned by `repoInternals.test.ts`, so an upgrade that breaks
 * one fails there first, and this is the file to change.
 */

/** The kinds of stored chunk automerge-repo loads a document from (its sync states are others). */
const DOC_CHUNK_KINDS = new Set(["snapshot", "incremental"]);

/**
 * The key automerge-repo's StorageSubsystem reads a document chunk from: `[id, kind, name]`, any
 * name. An entry from the relay is stored as a chunk of its own, named after its seq, so the
 * document's next load finds it.
 */
export const chunkKey = (id: DocumentId, kind: "snapshot" | "update", name: string): string[] => [id, kind === "snapshot" ? "snapshot" : "incremental", name];

/** Whether a stored key is one of a document's chunks (not a sync state). */
export const isDocChunk = (key: readonly string[]): boolean => DOC_CHUNK_KINDS.has(key[1] ?? "");

/**
 * Takes a handle out of the Repo without touching what is stored. Unloading empties the handle's
 * document and emits `heads-changed`, on which the Repo would save that empty document as the
 * newest snapshot and remove the chunks holding the real one (`removeFromCache`): its save
 * listener is taken off first. A handle that never became ready (its document unavailable) is
 * left in the Repo: `removeFromCache` throws on it, and it holds nothing to save.
 */
export async function unloadHandle(repo: Repo, id: DocumentId): Promise<void> {
  const handle = repoHandle(repo, id);
  if (!handle) return;
  handle.removeAllListeners("heads-changed");
  if (handle.isReady()) await repo.removeFromCache(id);
}

/** The Repo's handle for a document, if it has one (ready or not). */
export const repoHandle = (repo: Repo, id: DocumentId): DocHandle<unknown> | undefined => repo.handles[id] as DocHandle<unknown> | undefined;

/**
 * Saves the ready handles among `ids` (all the Repo's when omitted) now. `Repo.flush` and
 * `Repo.shutdown` (which, without network adapters, only flushes) throw on a handle that is not
 * ready.
 */
export async function flushReady(repo: Repo, ids?: readonly DocumentId[]): Promise<void> {
  const ready = (ids ?? (Object.keys(repo.handles) as DocumentId[])).filter((id) => repoHandle(repo, id)?.isReady() === true);
  if (ready.length > 0) await repo.flush(ready);
}

/** Every listener on a handle, whatever the event: more than the Repo's and ours means someone else listens. */
export const listenerCount = (handle: DocHandle<unknown>): number => handle.eventNames().reduce((n, e) => n + handle.listenerCount(e), 0);
