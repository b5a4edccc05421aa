import type { DocSyncState, OutboxEntry, SyncTx } from "./PeerStorage.js";

/** A plain `Uint8Array` copy of `bytes` (a Node `Buffer` in, a `Uint8Array` out). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function fail(what: string): never {
  throw new TypeError(`malformed sync transaction: ${what}`);
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
const isBytes = (b: unknown): b is Uint8Array => b instanceof Uint8Array;
const isArray = (a: unknown): a is unknown[] => Array.isArray(a);

function checkDocState(id: string, s: unknown): DocSyncState {
  if (typeof s !== "object" || s === null) fail(`state of ${id} is not an object`);
  const d = s as Partial<DocSyncState>;
  if (!isBytes(d.stream)) fail(`state of ${id}: stream is not bytes`);
  if (!isArray(d.knownHeads) || !d.knownHeads.every((h) => typeof h === "string")) fail(`state of ${id}: knownHeads`);
  for (const field of ["lastSeq", "updatesSinceSnapshot", "updateBytesSinceSnapshot", "snapshotBytes"] as const) {
    if (!isCount(d[field])) fail(`state of ${id}: ${field} is not a non-negative integer`);
  }
  if (d.deleted !== undefined && typeof d.deleted !== "boolean") fail(`state of ${id}: deleted`);
  if (d.ownUpdateBytes !== undefined && !isCount(d.ownUpdateBytes)) fail(`state of ${id}: ownUpdateBytes is not a non-negative integer`);
  const out: DocSyncState = {
    stream: copyBytes(d.stream),
    knownHeads: [...d.knownHeads],
    lastSeq: d.lastSeq as number,
    updatesSinceSnapshot: d.updatesSinceSnapshot as number,
    updateBytesSinceSnapshot: d.updateBytesSinceSnapshot as number,
    snapshotBytes: d.snapshotBytes as number,
  };
  if (d.ownUpdateBytes !== undefined) out.ownUpdateBytes = d.ownUpdateBytes;
  if (d.deleted !== undefined) out.deleted = d.deleted;
  return out;
}

function checkEntry(e: unknown): OutboxEntry {
  if (typeof e !== "object" || e === null) fail("outbox entry is not an object");
  const o = e as Partial<OutboxEntry>;
  if (typeof o.id !== "string") fail("outbox entry id is not a string");
  if (typeof o.doc !== "string") fail(`outbox entry ${o.id}: doc`);
  if (!isBytes(o.stream)) fail(`outbox entry ${o.id}: stream is not bytes`);
  if (o.kind !== "update" && o.kind !== "snapshot") fail(`outbox entry ${o.id}: kind`);
  if (!isBytes(o.body)) fail(`outbox entry ${o.id}: body is not bytes`);
  if (o.covers !== undefined && !isCount(o.covers)) fail(`outbox entry ${o.id}: covers`);
  if (typeof o.createdAt !== "number" || !Number.isFinite(o.createdAt)) fail(`outbox entry ${o.id}: createdAt`);
  const out: OutboxEntry = { id: o.id, doc: o.doc, stream: copyBytes(o.stream), kind: o.kind, body: copyBytes(o.body), createdAt: o.createdAt };
  if (o.covers !== undefined) out.covers = o.covers;
  return out;
}

function checkList<T>(list: unknown, name: string, item: (x: unknown) => T): T[] | undefined {
  if (list === undefined) return undefined;
  if (!isArray(list)) fail(`${name} is not an array`);
  return list.map(item);
}

function checkPair(x: unknown, name: string): [string, unknown] {
  if (!isArray(x) || x.length !== 2 || typeof x[0] !== "string") fail(`${name} item is not a [string, value] pair`);
  return [x[0], x[1]];
}

function checkId(name: string): (x: unknown) => string {
  return (x) => (typeof x === "string" ? x : fail(`${name} item is not a string`));
}

/**
 * Checks a {@link SyncTx} completely before anything is written and returns a deep copy of it
 * (so a caller mutating its objects afterwards cannot reach the store), with absent optional
 * fields left out. Throws a `TypeError` naming the first malformed part.
 */
export function checkSyncTx(tx: SyncTx): SyncTx {
  if (typeof tx !== "object" || tx === null) fail("not an object");
  const out: SyncTx = {};
  if (tx.cursor !== undefined) {
    if (!isCount(tx.cursor)) fail("cursor is not a non-negative integer");
    out.cursor = tx.cursor;
  }
  const docs = checkList(tx.docs, "docs", (x) => {
    const [id, state] = checkPair(x, "docs");
    return [id, checkDocState(id, state)] as [string, DocSyncState];
  });
  if (docs) out.docs = docs;
  const dropDocs = checkList(tx.dropDocs, "dropDocs", checkId("dropDocs"));
  if (dropDocs) out.dropDocs = dropDocs;
  const outboxRemove = checkList(tx.outboxRemove, "outboxRemove", checkId("outboxRemove"));
  if (outboxRemove) out.outboxRemove = outboxRemove;
  const outboxAdd = checkList(tx.outboxAdd, "outboxAdd", checkEntry);
  if (outboxAdd) out.outboxAdd = outboxAdd;
  const meta = checkList(tx.meta, "meta", (x) => {
    const [key, value] = checkPair(x, "meta");
    if (value !== null && !isBytes(value)) fail(`meta ${key} is neither bytes nor null`);
    return [key, value === null ? null : copyBytes(value)] as [string, Uint8Array | null];
  });
  if (meta) out.meta = meta;
  return out;
}
