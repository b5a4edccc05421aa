/** Checks a chunk key (an array of strings) at the edge; throws a `TypeError` for anything else. */
export function checkChunkKey(key: unknown): string[] {
  if (!Array.isArray(key) || !key.every((s) => typeof s === "string")) {
    throw new TypeError("a chunk key is an array of strings");
  }
  return key as string[];
}

/** Checks chunk data at the edge: only a `Uint8Array` (a Node `Buffer` is one) is accepted. */
export function checkChunkData(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError("chunk data is a Uint8Array");
  return data;
}

/**
 * Whether `key` starts with `prefix`, segment by segment — automerge-repo's `loadRange` rule:
 * `["a"]` is a prefix of `["a"]` and `["a", "b"]`, not of `["ab"]`; `[]` is a prefix of every key.
 */
export function isKeyPrefix(prefix: readonly string[], key: readonly string[]): boolean {
  if (prefix.length > key.length) return false;
  return prefix.every((segment, i) => key[i] === segment);
}
