import { crc32 } from "node:zlib";

/** Bytes before each record's payload: its length and a CRC-32, both big-endian u32. */
export const RECORD_HEADER = 8;

/**
 * Frames `payload` as one journal record: `[length u32][crc u32][payload]`. The CRC covers the
 * length bytes too, so a run of zeros (what a crash can leave past a file's end) never reads as
 * a record.
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  if (payload.byteLength === 0) throw new RangeError("a journal record is never empty");
  const out = new Uint8Array(RECORD_HEADER + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.byteLength);
  view.setUint32(4, crc32(payload, crc32(out.subarray(0, 4))));
  out.set(payload, RECORD_HEADER);
  return out;
}

/** The complete, intact records at the start of `bytes`, and where they end. */
export interface ReadRecords {
  payloads: Uint8Array[];
  /** Offset just past the last intact record; anything after it is a torn or damaged tail. */
  validLength: number;
}

/** Reads records until the end of `bytes` or the first incomplete or damaged one. */
export function readRecords(bytes: Uint8Array): ReadRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let at = 0;
  while (at + RECORD_HEADER <= bytes.byteLength) {
    const length = view.getUint32(at);
    const end = at + RECORD_HEADER + length;
    if (length === 0 || end > bytes.byteLength) break;
    const payload = bytes.subarray(at + RECORD_HEADER, end);
    if (crc32(payload, crc32(bytes.subarray(at, at + 4))) !== view.getUint32(at + 4)) break;
    payloads.push(payload);
    at = end;
  }
  return { payloads, validLength: at };
}
