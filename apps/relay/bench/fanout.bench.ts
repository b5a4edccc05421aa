// Budget (docs/design.md): an append fans out to the user's other sockets in < 1 ms p50 and < 5 ms p99
// on loopback while 100 sockets of 10 users append 2,000 entries/s in total.
//
// The relay and the 100 sockets run in two processes on one machine. The latency measured is
// from the moment a socket sends an append to the moment another socket of the same user receives
// the entry, both read from this process's clock: it includes the durable commit (acks and
// fan-out follow the commit, [A1]), the relay's work and loopback both ways.
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { encodeFrame } from "@botschat/protocol";
import { percentile, reportMeasurement, sortedSamples } from "@botschat/bench-kit";
import { startBenchRelay } from "@botschat/relay-testkit";
import { onFrames } from "./onFrames.js";
import { openSockets } from "./openSockets.js";
import { registerUsers } from "./registerUsers.js";

const USERS = 10;
const SOCKETS_PER_USER = 10;
const APPENDS_PER_SECOND = 2_000;
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
const BODY_BYTES = 256;

const relay = await startBenchRelay({ args: ["--log-level", "silent"] });
try {
  const users = await registerUsers(relay.url, USERS);
  const tokens = users.flatMap((u) => Array.from({ length: SOCKETS_PER_USER }, () => u.token));
  const clients = await openSockets(relay.wsUrl, tokens);

  const maxAppends = Math.ceil(((WARMUP_MS + MEASURE_MS) / 1000) * APPENDS_PER_SECOND * 1.1);
  const sentAt = new Float64Array(maxAppends);
  const ackLatencies: number[] = [];
  const fanoutLatencies: number[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  let acks = 0;
  let deliveries = 0;
  const errors = new Map<string, number>();
  const undecodable: Array<() => number> = [];

  clients.forEach((client) => {
    undecodable.push(
      onFrames(client, (frame) => {
        const now = performance.now();
        if (frame.t === "entry") {
          const sent = new DataView(frame.body.buffer, frame.body.byteOffset, 8).getFloat64(0, true);
          deliveries += 1;
          if (sent >= measureFrom) fanoutLatencies.push(now - sent);
        } else if (frame.t === "ack") {
          const sent = sentAt[Number(frame.id)]!;
          acks += 1;
          if (sent >= measureFrom) ackLatencies.push(now - sent);
        } else if (frame.t === "error") {
          errors.set(frame.code, (errors.get(frame.code) ?? 0) + 1);
        }
      }),
    );
  });

  // Each socket writes to its own stream; bodies carry the send time in their first 8 bytes.
  const streams = clients.map(() => new Uint8Array(randomBytes(32)));
  const filler = new Uint8Array(randomBytes(BODY_BYTES));
  let sent = 0;
  // This process's own delays add to every latency measured: report them, to read the rest.
  const clientDelay = monitorEventLoopDelay({ resolution: 1 });
  const start = performance.now();
  measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  setTimeout(() => clientDelay.enable(), WARMUP_MS);
  await new Promise<void>((resolve) => {
    // Paced by the clock: each turn sends what is due so far, spread round-robin over all sockets.
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(maxAppends, Math.floor(((Math.min(now, end) - start) / 1000) * APPENDS_PER_SECOND));
      while (sent < due) {
        const i = sent % clients.length;
        const body = filler.slice();
        const t = performance.now();
        new DataView(body.buffer).setFloat64(0, t, true);
        sentAt[sent] = t;
        clients[i]!.sendRaw(encodeFrame({ t: "append", id: String(sent), stream: streams[i]!, kind: "update", body }));
        sent += 1;
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });

  // Wait (bounded) for the last acks and deliveries.
  const expectedDeliveries = sent * (SOCKETS_PER_USER - 1);
  const deadline = performance.now() + 15_000;
  while ((acks < sent || deliveries < expectedDeliveries) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  clientDelay.disable();
  const elapsed = (Math.min(performance.now(), end) - start) / 1000;

  const fanout = sortedSamples(fanoutLatencies);
  const ack = sortedSamples(ackLatencies);
  reportMeasurement({ pkg: "relay", name: "fan-out latency p50", value: percentile(fanout, 50), unit: "ms", budget: { op: "<", value: 1 } });
  reportMeasurement({ pkg: "relay", name: "fan-out latency p99", value: percentile(fanout, 99), unit: "ms", budget: { op: "<", value: 5 } });
  reportMeasurement({ pkg: "relay", name: "fan-out latency max", value: fanout[fanout.length - 1] ?? Number.NaN, unit: "ms" });
  reportMeasurement({ pkg: "relay", name: "ack latency p50 (same load)", value: percentile(ack, 50), unit: "ms" });
  reportMeasurement({ pkg: "relay", name: "ack latency p99 (same load)", value: percentile(ack, 99), unit: "ms" });
  reportMeasurement({ pkg: "relay", name: "fan-out load: appends sent", value: sent / elapsed, unit: "appends/s" });
  reportMeasurement({ pkg: "relay", name: "bench client event-loop delay p99", value: clientDelay.percentile(99) / 1e6, unit: "ms" });

  const lost = expectedDeliveries - deliveries;
  const bad = undecodable.reduce((n, count) => n + count(), 0);
  console.log(
    `(${USERS} users × ${SOCKETS_PER_USER} sockets, ${BODY_BYTES} B bodies, ${sent} appends, ` +
      `${fanout.length} fan-out samples after ${WARMUP_MS / 1000} s warm-up)`,
  );
  if (acks < sent || lost !== 0 || errors.size > 0 || bad > 0) {
    const errs = [...errors].map(([code, n]) => `${code} ×${n}`).join(", ") || "none";
    throw new Error(`incomplete run: ${sent - acks} acks missing, ${lost} deliveries missing, errors: ${errs}, undecodable: ${bad}`);
  }
  await Promise.all(clients.map((c) => c.close()));
} finally {
  await relay.stop();
}
