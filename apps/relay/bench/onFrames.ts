import { decodeRelayFrame, type RelayFrame } from "@botschat/protocol";
import type { SyncClient } from "@botschat/relay-testkit";

/**
 * Take over a connected client's incoming frames: the harness client keeps every frame for tests
 * to wait on, which a benchmark receiving tens of thousands of frames cannot afford. From now on
 * each frame is decoded and handed to `handler`, then dropped. Frames that do not decode are
 * counted in the returned getter.
 */
export function onFrames(client: SyncClient, handler: (frame: RelayFrame, bytes: number) => void): () => number {
  let undecodable = 0;
  client.ws.removeAllListeners("message");
  client.ws.on("message", (data: Buffer) => {
    const r = decodeRelayFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (r.ok) handler(r.frame, data.byteLength);
    else undecodable += 1;
  });
  return () => undecodable;
}
