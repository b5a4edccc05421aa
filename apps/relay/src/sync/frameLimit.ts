import type { WebSocket } from "ws";

/** The part of ws's internals that holds a socket's frame limit (`maxPayload` of its receiver). */
interface WithReceiver {
  _receiver?: { _maxPayload?: number };
}

/**
 * Sets the largest frame a socket may send from now on: a frame announcing more is refused from
 * its header (close 1009), before any of it is buffered. ws takes the limit once per server
 * (`maxPayload`); a socket must stay within a small one until its `hello` is accepted, so the
 * receiver's limit is changed here. Throws if this ws version keeps it elsewhere, rather than
 * running unbounded (a test covers it).
 */
export function setFrameLimit(ws: WebSocket, bytes: number): void {
  const receiver = (ws as unknown as WithReceiver)._receiver;
  if (receiver === undefined || typeof receiver._maxPayload !== "number") {
    throw new Error("this version of ws keeps its frame limit elsewhere: update setFrameLimit");
  }
  receiver._maxPayload = bytes;
}
