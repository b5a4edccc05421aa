import type { MessageView } from "@botschat/model";

/**
 * Where each open reply stream shows: right under the message it answers (for an edit or a
 * regenerate, the message the version belongs to), after that message's rows (its shown
 * answer), keyed by the id of the row it follows. A stream whose message is not among the rows
 * goes to the bottom (`atBottom`).
 */
export function streamPlaces<S extends { message: string }>(
  rows: readonly MessageView[],
  streams: readonly S[],
  messages: readonly MessageView[],
): { after: Map<string, S[]>; atBottom: S[] } {
  const after = new Map<string, S[]>();
  const atBottom: S[] = [];
  if (streams.length === 0) return { after, atBottom };
  const rootOf = new Map<string, string>();
  for (const m of messages) for (const v of m.versions ?? []) rootOf.set(v.ask.id, m.id);
  /** The last row of each message's group: the message, then the answers under it. */
  const lastRowOf = new Map<string, string>();
  for (const r of rows) {
    lastRowOf.set(r.id, r.id);
    if (r.role === "agent" && r.replyTo !== undefined && lastRowOf.has(r.replyTo)) lastRowOf.set(r.replyTo, r.id);
  }
  for (const s of streams) {
    const anchor = lastRowOf.get(rootOf.get(s.message) ?? s.message);
    if (anchor === undefined) {
      atBottom.push(s);
      continue;
    }
    const list = after.get(anchor) ?? [];
    list.push(s);
    after.set(anchor, list);
  }
  return { after, atBottom };
}
