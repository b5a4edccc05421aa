import { type Counter, ImmutableString, isCounter, isImmutableString } from "@automerge/automerge";

/**
 * A write-once string stored as an Automerge `ImmutableString`, typed with what it holds.
 *
 * In Automerge 3 a plain JS string becomes collaborative text, one CRDT op per character; chat
 * documents would load several times slower (DESIGN.md "Lessons"). Every string in the
 * workspace documents is an `Imm` except the co-edited task prompt.
 */
export type Imm<T extends string = string> = ImmutableString & { val: T };

/** Wraps a string for storage: `imm("hello")`. */
export function imm<T extends string>(value: T): Imm<T> {
  return new ImmutableString(value) as Imm<T>;
}

/** Reads a stored string (an `Imm`, or collaborative text, which Automerge exposes as a string). */
export function str<T extends string>(value: Imm<T> | T): T;
export function str<T extends string>(value: Imm<T> | T | undefined): T | undefined;
export function str<T extends string>(value: Imm<T> | T | undefined): T | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : (value.val as T);
}

/** The plain form of a stored value: `Imm<T>` → `T`, `Counter` → `number`, recursively. */
export type Plain<T> = T extends ImmutableString & { val: infer S }
  ? S
  : T extends Counter
    ? number
    : T extends Uint8Array
      ? T
      : T extends readonly (infer E)[]
        ? Plain<E>[]
        : T extends object
          ? { [K in keyof T]: Plain<T[K]> }
          : T;

/** Copies a stored value (a document or part of one) into plain JS data for a UI. */
export function toPlain<T>(value: T): Plain<T> {
  return plainOf(value) as Plain<T>;
}

function plainOf(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isImmutableString(value)) return value.val;
  if (isCounter(value)) return value.value;
  if (value instanceof Uint8Array || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(plainOf);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plainOf(v);
  return out;
}
