import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { decodeRelayFrame, encodeFrame } from "@botschat/protocol";
import { openSynced, randomBody, randomStream, readRss, register, type RelayProcess, startRelay } from "@botschat/relay-testkit";

const MiB = 1024 * 1024;
const ENTRIES = 100;
const ENTRY_BYTES = MiB;
/** How far the relay's resident memory may rise while the 100 MiB backlog flows. */
const RSS_GROWTH_MAX = 60 * MiB;
/** How long another user's append may wait for its ack meanwhile. */
const OTHER_ACK_MAX_MS = 200;
/** The reader first reads nothing at all for this long, then at READ_BYTES_PER_SECOND. */
const STALL_MS = 2_000;
const READ_BYTES_PER_SECOND = 12 * MiB;

const relays: RelayProcess[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

/** Body of entry `i`: random bytes whose first four bytes carry `i`, to check the order. */
function entryBody(i: number): Uint8Array {
  const body = randomBody(ENTRY_BYTES);
  new DataView(body.buffer, body.byteOffset).setUint32(0, i);
  return body;
}

/**
 * A raw `ws` reader that catches up from seq 0 but reads slowly: nothing for STALL_MS, then no
 * faster than READ_BYTES_PER_SECOND (it pauses its socket whenever it is ahead of that pace, so
 * the relay sees a full TCP window, as with a phone on a bad network).
 */
function slowReader(wsUrl: string, token: string) {
  const ws = new WebSocket(wsUrl);
  const entries: Array<{ seq: number; index: number; bytes: number }> = [];
  let received = 0;
  let readingSince = 0;
  let resumeTimer: NodeJS.Timeout | undefined;
  const done = new Promise<{ head: number }>((resolve, reject) => {
    ws.on("open", () => {
      ws.send(encodeFrame({ t: "hello", token, since: 0 }));
      ws.pause();
      setTimeout(() => {
        readingSince = performance.now();
        ws.resume();
      }, STALL_MS);
    });
    ws.on("message", (data: Buffer) => {
      const r = decodeRelayFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!r.ok) return reject(new Error(`undecodable frame: ${r.error.message}`));
      const f = r.frame;
      if (f.t === "entry") {
        entries.push({ seq: f.seq, index: new DataView(f.body.buffer, f.body.byteOffset).getUint32(0), bytes: f.body.length });
        received += data.byteLength;
        // Ahead of the pace: stop reading until the pace catches up.
        const aheadMs = (received / READ_BYTES_PER_SECOND) * 1000 - (performance.now() - readingSince);
        if (aheadMs > 0 && resumeTimer === undefined) {
          ws.pause();
          resumeTimer = setTimeout(() => {
            resumeTimer = undefined;
            ws.resume();
          }, aheadMs);
        }
      } else if (f.t === "synced") {
        resolve({ head: f.head });
      } else if (f.t === "error") {
        reject(new Error(`error frame: ${f.code} ${f.message}`));
      }
    });
    ws.on("close", (code) => reject(new Error(`closed with ${code} before synced`)));
    ws.on("error", reject);
  });
  return { ws, entries, done };
}

describe("[O2] backlog with backpressure", () => {
  it("[O2] a 100 MiB backlog reaches a slow reader in order while the relay's memory stays flat and another user's appends stay fast", async () => {
    const first = await startRelay();
    relays.push(first);
    const writer = await register(first.url);
    const other = await register(first.url);

    // 100 entries of 1 MiB (the default frame limit, rate and quota allow them), four in flight.
    const w = (await openSynced(first.wsUrl, writer.token)).client;
    const stream = randomStream();
    const seqs: number[] = [];
    for (let i = 0; i < ENTRIES; i += 4) {
      const batch = [i, i + 1, i + 2, i + 3].filter((k) => k < ENTRIES);
      seqs.push(...(await Promise.all(batch.map((k) => w.appendAck({ id: `big-${k}`, stream, body: entryBody(k) }, 30_000)))));
    }
    await w.close();
    await first.stop();

    // A fresh relay process on the same data, so that its memory holds nothing of the appends.
    const relay = await startRelay({ dataDir: first.dataDir });
    relays.push(relay);
    const pid = relay.proc.pid!;
    const o = (await openSynced(relay.wsUrl, other.token)).client;
    const otherStream = randomStream();
    await o.appendAck({ id: "warm-up", stream: otherStream, body: randomBody(100) });
    const baseline = readRss(pid);

    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, readRss(pid));
    }, 25);
    const reader = slowReader(relay.wsUrl, writer.token);
    let catchingUp = true;
    const otherAcks: number[] = [];
    const otherWriter = (async () => {
      // One small append at a time, for as long as the catch-up lasts.
      for (let n = 0; catchingUp; n++) {
        const t0 = performance.now();
        await o.appendAck({ id: `o-${n}`, stream: otherStream, body: randomBody(200) }, 10_000);
        otherAcks.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    let synced: { head: number };
    try {
      synced = await reader.done;
    } finally {
      catchingUp = false;
      clearInterval(sampler);
    }
    await otherWriter;
    peak = Math.max(peak, readRss(pid));
    reader.ws.close();
    await o.close();

    expect(reader.entries.map((e) => e.index)).toEqual(seqs.map((_, i) => i));
    expect(reader.entries.map((e) => e.seq)).toEqual(seqs);
    expect(reader.entries.every((e) => e.bytes === ENTRY_BYTES)).toBe(true);
    expect(synced.head).toBeGreaterThanOrEqual(seqs[seqs.length - 1]!);

    const growthMiB = (peak - baseline) / MiB;
    expect(growthMiB, `relay RSS ${(baseline / MiB).toFixed(1)} MiB → peak ${(peak / MiB).toFixed(1)} MiB`).toBeLessThan(RSS_GROWTH_MAX / MiB);

    expect(otherAcks.length, "the other user kept appending during the catch-up").toBeGreaterThanOrEqual(20);
    const slowest = Math.max(...otherAcks);
    expect(slowest, `slowest of ${otherAcks.length} acks for the other user`).toBeLessThan(OTHER_ACK_MAX_MS);
  }, 60_000);
});
