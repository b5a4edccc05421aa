import { encodeCbor } from "./cbor.js";
import type { ClientFrame, RelayFrame } from "./frames.js";

/** Encode a frame as one binary WebSocket message (integers ≥ 2^32 stay integers). */
export function encodeFrame(frame: ClientFrame | RelayFrame): Uint8Array {
  return encodeCbor(frame);
}
