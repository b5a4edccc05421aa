import { EntryKind, streamHex, type AppendFrame } from "@botschat/protocol";

/** What remembering one append id ([A3]) costs against its user's quota, as on the relay (N5). */
export const APPEND_ID_BYTES = 64;

/** One committed entry of a user's log ([O1]). */
export interface StoredEntry {
  seq: number;
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
  /** When it was committed, in ms since the epoch. */
  ts: number;
}

/**
 * The outcome of an append once it is committed: a repeated id answers with its first seq and
 * `duplicate: true`, storing nothing ([A3]); a refusal stores nothing either.
 */
export type AppendOutcome = { ok: true; seq: number; ts: number; duplicate: boolean } | { ok: false; code: "quota_exceeded" | "invalid"; message: string };

interface Kept extends StoredEntry {
  /** The stream id in hex, to find a stream's entries. */
  key: string;
}

/**
 * One user's log as the relay's store keeps it, in memory: seqs counted per user from the head,
 * which never goes down ([O1], decision 003); append ids remembered after their entry is compacted
 * away ([A3], N5); a snapshot deleting its stream's entries up to `covers` ([S1]); the quota,
 * with a snapshot measured after what it frees. It mirrors `SqliteLogStore`'s append rule for
 * rule; what it holds survives a restart of the {@link MemoryRelay} it belongs to.
 */
export class MemoryLog {
  /** The highest seq ever given; 0 when none. */
  head = 0;
  /** Bytes counted against the quota: bodies, stream ids and remembered append ids. */
  usedBytes = 0;
  private entries: Kept[] = [];
  private readonly ids = new Map<string, { seq: number; ts: number }>();

  /** Applies one append, as one step of a commit. */
  append(input: Pick<AppendFrame, "id" | "stream" | "kind" | "body" | "covers">, now: number, quotaBytes: number): AppendOutcome {
    const { id, stream, kind, body, covers } = input;
    // [A3] before anything else: a retry is answered with the first ack even if it would now be refused.
    const prior = this.ids.get(id);
    if (prior) return { ok: true, seq: prior.seq, ts: prior.ts, duplicate: true };
    if (covers !== undefined) {
      if (kind !== EntryKind.snapshot) return invalid("covers is only allowed on snapshots.");
      if (covers > this.head) return invalid(`covers ${covers} is above the head ${this.head}.`);
    }
    const key = streamHex(stream);
    const size = body.byteLength + stream.byteLength + APPEND_ID_BYTES;
    const freed = covers !== undefined && covers > 0 ? this.bytesUpTo(key, covers) : 0;
    if (this.usedBytes - freed + size > quotaBytes) return { ok: false, code: "quota_exceeded", message: "The storage quota is used up." };
    const seq = this.head + 1;
    if (freed > 0) this.entries = this.entries.filter((e) => e.key !== key || e.seq > covers!);
    this.entries.push({ seq, stream, kind, body, ts: now, key });
    this.ids.set(id, { seq, ts: now });
    this.usedBytes += size - freed;
    this.head = seq;
    return { ok: true, seq, ts: now, duplicate: false };
  }

  /** The entries with `seq > since`, in increasing seq, at most `limit`. */
  readAfter(since: number, limit = Number.POSITIVE_INFINITY): StoredEntry[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo, Math.min(this.entries.length, lo + limit)).map(({ key: _key, ...e }) => e);
  }

  /** How many entries are stored. */
  get size(): number {
    return this.entries.length;
  }

  private bytesUpTo(key: string, covers: number): number {
    let n = 0;
    for (const e of this.entries) if (e.key === key && e.seq <= covers) n += e.body.byteLength + e.stream.byteLength;
    return n;
  }
}

function invalid(message: string): AppendOutcome {
  return { ok: false, code: "invalid", message };
}
