import * as A from "@automerge/automerge";
import { isCounter, isImmutableString } from "@automerge/automerge";

/** The actor of every deterministic first change: 16 zero bytes. Never used for later changes. */
export const DETERMINISTIC_ACTOR = "00".repeat(16);

/**
 * A document whose only change is `initial`, written by the fixed actor {@link DETERMINISTIC_ACTOR}
 * at time 0 with keys in sorted order, so every device that builds the same `initial` gets the
 * same change hash and byte-identical `Automerge.save` output (DESIGN.md "Never create the same
 * thing twice"). `initial` must contain every nested map the document will ever hold, because a
 * map created later by two devices at once keeps only one of them.
 *
 * Load it into a handle (`repo.import(save, { docId })`) before changing it: the handle's own
 * actor then writes every later change.
 */
export function deterministicDoc<T extends object>(initial: T): A.Doc<T> {
  return A.change(A.init<T>({ actor: DETERMINISTIC_ACTOR }), { time: 0 }, (doc) => {
    assignSorted(doc as Record<string, unknown>, initial as Record<string, unknown>);
  });
}

/** The saved bytes of {@link deterministicDoc}: what a DocStore imports under a derived id. */
export function initialChange<T extends object>(initial: T): Uint8Array {
  return A.save(deterministicDoc(initial));
}

function assignSorted(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(source).sort()) {
    const value = source[key];
    if (value === undefined) continue;
    target[key] = canonical(value);
  }
}

/** Copies nested plain objects with sorted keys; scalars, Imm strings and counters as they are. */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isImmutableString(value) || isCounter(value) || value instanceof Uint8Array || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(canonical);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v);
  }
  return out;
}
