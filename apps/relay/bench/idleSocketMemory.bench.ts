// Budget (docs/design.md): ≤ 20 KiB of resident memory per idle socket.
//
// The relay's resident memory (VmRSS) with 1,000 authenticated idle sockets open (hello done,
// backlog read, peers announced), minus the same relay's before they opened, over 1,000. Both
// readings follow a full garbage collection in the relay (through its inspector), and a first
// round of 100 sockets opened and closed beforehand warms up code and pools, so the difference is
// what the sockets keep, not garbage or start-up cost. The sockets' client side runs in this
// process and does not count.
import { reportMeasurement } from "@botschat/bench-kit";
import { readRss, type RelayProcess, startBenchRelay } from "@botschat/relay-testkit";
import { collectGarbage, INSPECTABLE_ENV } from "./collectGarbage.js";
import { openSockets } from "./openSockets.js";
import { registerUsers } from "./registerUsers.js";

const SOCKETS = 1_000;
const USERS = 100;

/** Resident memory after a full collection: the median of three readings. */
async function settledRss(relay: RelayProcess): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    await collectGarbage(relay);
    readings.push(readRss(relay.proc.pid!));
  }
  return readings.sort((a, b) => a - b)[1]!;
}

const relay = await startBenchRelay({ args: ["--log-level", "silent"], env: INSPECTABLE_ENV });
try {
  const users = await registerUsers(relay.url, USERS);
  const tokens = Array.from({ length: SOCKETS }, (_, i) => users[i % USERS]!.token);

  const warmup = await openSockets(relay.wsUrl, tokens.slice(0, 100));
  await Promise.all(warmup.map((c) => c.close()));

  const before = await settledRss(relay);
  const rawBefore = readRss(relay.proc.pid!);
  const clients = await openSockets(relay.wsUrl, tokens);
  const rawAfter = readRss(relay.proc.pid!);
  const after = await settledRss(relay);

  reportMeasurement({
    pkg: "relay",
    name: "memory per idle socket",
    value: (after - before) / SOCKETS / 1024,
    unit: "KiB",
    budget: { op: "<=", value: 20 },
  });
  reportMeasurement({ pkg: "relay", name: "memory per socket, before GC", value: (rawAfter - rawBefore) / SOCKETS / 1024, unit: "KiB" });
  reportMeasurement({ pkg: "relay", name: "relay RSS with 1,000 idle sockets", value: after / 2 ** 20, unit: "MiB" });
  console.log(`(${SOCKETS} sockets of ${USERS} users; relay RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB after GC)`);
  await Promise.all(clients.map((c) => c.close()));
} finally {
  await relay.stop();
}
