import * as A from "@automerge/automerge";
import type { SyncEngine } from "../src/sync/SyncEngine.js";

/** One document as a peer holds it: sorted heads and plain content. */
export interface DocState {
  heads: string;
  content: unknown;
}

/** Every live document of an engine, by id (sorted), with its heads and content. */
export async function workspaceState(engine: SyncEngine): Promise<Record<string, DocState>> {
  const out: Record<string, DocState> = {};
  for (const id of engine.documentIds().sort()) {
    const handle = await engine.find<unknown>(id);
    const doc = handle.doc() as A.Doc<unknown>;
    out[id] = { heads: A.getHeads(doc).sort().join(","), content: A.toJS(doc) };
  }
  return out;
}

/** A short fingerprint of {@link workspaceState}, cheap to compare while waiting. */
export function headsOf(engine: SyncEngine): string {
  return engine
    .documentIds()
    .sort()
    .map((id) => {
      const h = engine.repo.handles[id];
      const doc = h?.isReady() ? (h.doc() as A.Doc<unknown>) : undefined;
      return `${id}:${doc ? A.getHeads(doc).sort().join(",") : "?"}`;
    })
    .join(";");
}
