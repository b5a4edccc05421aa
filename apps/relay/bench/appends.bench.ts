// Budget (docs/design.md): ≥ 20,000 durable appends/s of 1 KiB bodies with group commit.
//
// Several users, one socket each, keep a window of appends in flight over real sockets; an append
// counts once its ack arrives, and the relay acks only after the commit ([A1]). The per-user rate
// limit is raised so that it does not cap the measurement.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { encodeFrame } from "@botschat/protocol";
import { percentile, reportMeasurement, sortedSamples } from "@botschat/bench-kit";
import { startBenchRelay } from "@botschat/relay-testkit";
import { onFrames } from "./onFrames.js";
import { openSockets } from "./openSockets.js";
import { registerUsers } from "./registerUsers.js";

const USERS = 8;
const IN_FLIGHT_PER_SOCKET = 256;
const BODY_BYTES = 1024;
const WARMUP_MS = 1_000;
const MEASURE_MS = 5_000;

const relay = await startBenchRelay({
  args: ["--log-level", "silent", "--append-rate", "1000000", "--append-burst", "1000000"],
});
try {
  const users = await registerUsers(relay.url, USERS);
  const clients = await openSockets(
    relay.wsUrl,
    users.map((u) => u.token),
  );
  const body = new Uint8Array(randomBytes(BODY_BYTES));
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  let measuredAcks = 0;
  let totalAcks = 0;
  let stopped = false;
  const latencies: number[] = [];
  const errors = new Map<string, number>();

  const done = Promise.all(
    clients.map(
      (client, c) =>
        new Promise<void>((resolve) => {
          const stream = new Uint8Array(randomBytes(32));
          const sentAt = new Map<string, number>();
          let n = 0;
          const sendOne = (): void => {
            const id = `${c}.${n++}`;
            sentAt.set(id, performance.now());
            client.sendRaw(encodeFrame({ t: "append", id, stream, kind: "update", body }));
          };
          onFrames(client, (frame) => {
            if (frame.t !== "ack" && frame.t !== "error") return;
            const now = performance.now();
            const sent = frame.id === undefined ? undefined : sentAt.get(frame.id);
            if (frame.id !== undefined) sentAt.delete(frame.id);
            if (frame.t === "error") errors.set(frame.code, (errors.get(frame.code) ?? 0) + 1);
            else {
              totalAcks += 1;
              if (now >= measureFrom && now < end) {
                measuredAcks += 1;
                if (sent !== undefined) latencies.push(now - sent);
              }
            }
            if (now < end && !stopped) sendOne();
            else if (sentAt.size === 0) resolve();
          });
          for (let i = 0; i < IN_FLIGHT_PER_SOCKET; i++) sendOne();
        }),
    ),
  );
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, WARMUP_MS + MEASURE_MS + 20_000).unref());
  await Promise.race([done, timeout]);
  stopped = true;

  const ack = sortedSamples(latencies);
  reportMeasurement({
    pkg: "relay",
    name: "durable appends/s (1 KiB, group commit)",
    value: measuredAcks / (MEASURE_MS / 1000),
    unit: "appends/s",
    budget: { op: ">=", value: 20_000 },
  });
  reportMeasurement({ pkg: "relay", name: "ack latency p50 (saturated)", value: percentile(ack, 50), unit: "ms" });
  reportMeasurement({ pkg: "relay", name: "ack latency p99 (saturated)", value: percentile(ack, 99), unit: "ms" });
  console.log(`(${USERS} users × 1 socket, ${IN_FLIGHT_PER_SOCKET} appends in flight each, ${BODY_BYTES} B bodies, ${totalAcks} acks in all)`);
  if (errors.size > 0) throw new Error(`appends refused: ${[...errors].map(([code, k]) => `${code} ×${k}`).join(", ")}`);
  await Promise.all(clients.map((c) => c.close()));
} finally {
  await relay.stop();
}
