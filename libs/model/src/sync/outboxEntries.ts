import * as A from "@automerge/automerge";
import type { DocumentId } from "@automerge/automerge-repo";
import { sealEntry, toBase64url, type VaultKeys } from "@botschat/crypto";
import type { DocSyncState, OutboxEntry } from "../storage/PeerStorage.js";
import { envelopeDoc } from "./envelopeDoc.js";
import { sameHeads } from "./sameHeads.js";

/**
 * The entries a device appends, sealed for the relay ([K4]): each takes a document's sync state
 * along (its known heads and snapshot counters move as the entry is made).
 */

function randomId(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

function entry(id: DocumentId, st: DocSyncState, kind: OutboxEntry["kind"], body: Uint8Array, covers?: number): OutboxEntry {
  return { id: randomId(), doc: id, stream: st.stream, kind, body, ...(covers !== undefined ? { covers } : {}), createdAt: Date.now() };
}

/** The document's changes since its known heads as one update, or undefined when it has none. */
export function updateEntry(keys: VaultKeys, id: DocumentId, st: DocSyncState, doc: A.Doc<unknown>): OutboxEntry | undefined {
  const heads = A.getHeads(doc);
  if (sameHeads(heads, st.knownHeads)) return undefined;
  const data = A.saveSince(doc, st.knownHeads);
  st.knownHeads = heads;
  if (data.length === 0) return undefined;
  const body = sealEntry(keys, { stream: st.stream, kind: "update", doc: envelopeDoc(id), data });
  st.updatesSinceSnapshot += 1;
  st.updateBytesSinceSnapshot += body.length;
  st.ownUpdateBytes = (st.ownUpdateBytes ?? 0) + body.length;
  return entry(id, st, "update", body);
}

/** The whole document as a snapshot claiming every entry of its stream up to `covers` ([S1], [S2]). */
export function snapshotEntry(keys: VaultKeys, id: DocumentId, st: DocSyncState, doc: A.Doc<unknown>, covers: number): OutboxEntry {
  const body = sealEntry(keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), data: A.save(doc) });
  st.updatesSinceSnapshot = 0;
  st.updateBytesSinceSnapshot = 0;
  st.ownUpdateBytes = 0;
  st.snapshotBytes = body.length;
  return entry(id, st, "snapshot", body, covers);
}

/** The document's deletion ([S4]). */
export function tombstoneEntry(keys: VaultKeys, id: DocumentId, st: DocSyncState, covers: number): OutboxEntry {
  return entry(id, st, "snapshot", sealEntry(keys, { stream: st.stream, kind: "snapshot", doc: envelopeDoc(id), deleted: true }), covers);
}

/**
 * Every change of the document as updates of at most `partBytes` each (a refused entry's changes,
 * sent again in parts the relay takes). Returns the size of a single change larger than a part
 * instead, when there is one: that change cannot go.
 */
export function updateParts(keys: VaultKeys, id: DocumentId, st: DocSyncState, doc: A.Doc<unknown>, partBytes: number): OutboxEntry[] | { tooLarge: number } {
  const parts: Uint8Array[][] = [[]];
  let size = 0;
  for (const change of A.getAllChanges(doc)) {
    if (change.length > partBytes) return { tooLarge: change.length };
    if (size + change.length > partBytes) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(change);
    size += change.length;
  }
  return parts.map((changes) => {
    const body = sealEntry(keys, { stream: st.stream, kind: "update", doc: envelopeDoc(id), data: concatBytes(changes) });
    st.updatesSinceSnapshot += 1;
    st.updateBytesSinceSnapshot += body.length;
    return entry(id, st, "update", body);
  });
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
