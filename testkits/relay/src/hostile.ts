import { request } from "node:http";
import { register } from "./api.js";
import { readRss } from "./readRss.js";
import { openSynced, type SyncClient } from "./syncClient.js";

// What hostile-input tests and the hostile-input benchmark share: the relay's resident memory,
// a probe that keeps another user's round trips timed while an attack runs, and attacks.

/** The resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  return readRss(pid) / 2 ** 20;
}

/** Another user's socket pinging the relay every `everyMs`, and the relay's memory sampled as often. */
export interface Probe {
  /** The slowest round trip so far (a ping unanswered now counts for as long as it waits), in ms. */
  worstMs(): number;
  /** The largest resident memory seen so far, in MiB. */
  peakMiB(): number;
  /** Resolves once a round trip made now has been answered, with its time. */
  roundTrip(): Promise<number>;
  stop(): Promise<{ worstMs: number; peakMiB: number }>;
}

/** Starts a {@link Probe} against a relay process. */
export async function startProbe(relay: { url: string; wsUrl: string; proc: { pid?: number } }, everyMs = 50): Promise<Probe> {
  const u = await register(relay.url);
  const { client } = await openSynced(relay.wsUrl, u.token);
  const pid = relay.proc.pid!;
  let worst = 0;
  let peak = rssMiB(pid);
  let sentAt: number | undefined;
  let stopped = false;
  const sample = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
    if (sentAt !== undefined) worst = Math.max(worst, performance.now() - sentAt);
  }, everyMs);
  const roundTrip = async (): Promise<number> => {
    const t0 = performance.now();
    await client.ping();
    return performance.now() - t0;
  };
  const loop = (async () => {
    while (!stopped) {
      sentAt = performance.now();
      await client.ping();
      worst = Math.max(worst, performance.now() - sentAt);
      sentAt = undefined;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    worstMs: () => worst,
    peakMiB: () => peak,
    roundTrip,
    stop: async () => {
      stopped = true;
      await loop;
      clearInterval(sample);
      peak = Math.max(peak, rssMiB(pid));
      await client.close();
      return { worstMs: worst, peakMiB: peak };
    },
  };
}

/** A CBOR array announcing `count` elements, followed by that many empty arrays: cheap to send, costly to decode naively. */
export function arrayOfEmptyArrays(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes).fill(0x80);
  const count = bytes - 5;
  out.set([0x9a, (count >>> 24) & 0xff, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff]);
  return out;
}

/** A CBOR item nested `depth` arrays deep. */
export function deeplyNested(depth: number): Uint8Array {
  const out = new Uint8Array(depth + 1).fill(0x81);
  out[depth] = 0x00;
  return out;
}

/**
 * POSTs `bytes` of body to a path, announcing it in Content-Length (or chunked), and answers the
 * status the relay gave and how many bytes had been sent by then. Sends in 64 KiB pieces and stops
 * as soon as the relay answers.
 */
export function postHuge(baseUrl: string, path: string, bytes: number, opts: { chunked?: boolean } = {}): Promise<{ status: number; sent: number }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", ...(opts.chunked ? {} : { "content-length": String(bytes) }) },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, sent }));
        req.destroy();
      },
    );
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!answered && sent < bytes) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Whether a socket's close (or refused upgrade) came within `ms`; closes the socket either way. */
export async function closedWithin(client: SyncClient, ms: number): Promise<{ code: number } | undefined> {
  const timer = new Promise<undefined>((r) => setTimeout(() => r(undefined), ms));
  const closed = await Promise.race([client.closed, timer]);
  if (closed === undefined) await client.close();
  return closed;
}
