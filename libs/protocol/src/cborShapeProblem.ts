/** How much structure a CBOR frame may have before it is decoded. */
export interface CborShapeLimits {
  /** Data items in all (every map key and value, array element and the top item count). */
  maxItems: number;
  /** Arrays and maps inside each other, the top one counting as 1. */
  maxDepth: number;
}

/**
 * Why `bytes` is not one well-formed CBOR item within `limits`, or undefined when it is. Reads
 * only the items' heads (strings are skipped by their length, nothing is allocated), so its cost
 * is bounded by `maxItems` whatever the input: a frame of millions of empty arrays or maps, or an
 * array announcing more elements than it has bytes, is refused before a decoder builds anything.
 * Refuses what the protocol never sends: tags, indefinite lengths, reserved values, trailing bytes.
 *
 * @example
 * const problem = cborShapeProblem(bytes, { maxItems: 64, maxDepth: 4 });
 * if (problem !== undefined) refuse(`frame is not valid CBOR: ${problem}`);
 */
export function cborShapeProblem(bytes: Uint8Array, limits: CborShapeLimits): string | undefined {
  const end = bytes.length;
  let pos = 0;
  let items = 0;
  /** Items still to read in each open array or map, innermost last. */
  const open: number[] = [];
  // One top item, read like an array of one.
  let left = 1;
  for (;;) {
    while (left === 0) {
      if (open.length === 0) return pos === end ? undefined : "bytes after the item";
      left = open.pop()!;
    }
    if (pos >= end) return "ends inside an item";
    left -= 1;
    items += 1;
    if (items > limits.maxItems) return `more than ${limits.maxItems} items`;
    const head = bytes[pos]!;
    pos += 1;
    const major = head >> 5;
    const info = head & 0x1f;
    let arg: number;
    if (info < 24) arg = info;
    else if (info <= 27) {
      const size = 1 << (info - 24);
      if (pos + size > end) return "ends inside an item";
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[pos + i]!;
      pos += size;
    } else if (info === 31) return "indefinite lengths are not used";
    else return "a reserved length";
    switch (major) {
      case 0:
      case 1:
        break;
      case 2:
      case 3:
        if (arg > end - pos) return "a string longer than the frame";
        pos += arg;
        break;
      case 4:
      case 5: {
        const count = major === 4 ? arg : arg * 2;
        // Every element takes at least one byte: an announced count beyond the frame is a lie.
        if (count > end - pos) return "more elements than the frame holds";
        if (open.length + 1 > limits.maxDepth) return `nested deeper than ${limits.maxDepth}`;
        open.push(left);
        left = count;
        break;
      }
      case 6:
        return "tags are not used";
      default:
        // Simple values (false, true, null, undefined) and floats; other simple values are not used.
        if (info < 20 || info === 24) return "a simple value the protocol does not use";
    }
  }
}
