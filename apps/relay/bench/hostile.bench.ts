// Budget (docs/design.md "Hostile input"): the relay's resident memory stays under 300 MB and other
// users' requests keep answering within 1 s under oversized, nested or flooding input from
// unauthenticated sockets.
//
// Against the real relay process, one attack after another while a probe (another user) pings
// every 50 ms and the relay's VmRSS is sampled as often: 8 sockets sending a 16 MiB frame before
// hello; 4 authenticated sockets each sending a 15 MiB frame of 15 million empty arrays and a
// frame nested 5,000 deep; a 300 MB and a chunked 100 MB request body to the login route; 400 MiB
// of 64 KiB eph frames towards a socket that stopped reading. Reported: the worst round trip and
// the peak memory over all of them.
import { reportMeasurement } from "@botschat/bench-kit";
import {
  arrayOfEmptyArrays,
  closedWithin,
  deeplyNested,
  openSynced,
  postHuge,
  randomBody,
  randomStream,
  register,
  startBenchRelay,
  startProbe,
  SyncClient,
} from "@botschat/relay-testkit";

const relay = await startBenchRelay({ args: ["--log-level", "silent", "--eph-rate", "1000000", "--eph-burst", "1000000"] });
try {
  const probe = await startProbe(relay);
  const baseline = probe.peakMiB();

  const strangers = await Promise.all(Array.from({ length: 8 }, () => SyncClient.connect(relay.wsUrl)));
  for (const s of strangers) s.sendRaw(arrayOfEmptyArrays(16 * 1024 * 1024));
  await Promise.all(strangers.map((s) => closedWithin(s, 10_000)));

  const users = await Promise.all(Array.from({ length: 4 }, () => register(relay.url)));
  const sockets = await Promise.all(users.map((u) => openSynced(relay.wsUrl, u.token)));
  for (const { client } of sockets) {
    client.sendRaw(arrayOfEmptyArrays(15 * 1024 * 1024));
    client.sendRaw(deeplyNested(5_000));
  }
  for (const { client } of sockets) await client.ping(30_000);

  await postHuge(relay.url, "/api/auth/login", 300 * 1024 * 1024);
  await postHuge(relay.url, "/api/auth/login", 100 * 1024 * 1024, { chunked: true });

  const { client: stuck } = await openSynced(relay.wsUrl, users[0]!.token);
  (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const sender = sockets[0]!.client;
  const stream = randomStream();
  const body = randomBody(64 * 1024);
  for (let i = 0; i < 6_400; i++) {
    sender.send({ t: "eph", stream, body });
    if (i % 200 === 199) await sender.ping(30_000);
  }
  await sender.ping(30_000);

  const { worstMs, peakMiB } = await probe.stop();
  reportMeasurement({ pkg: "relay", name: "hostile input: peak resident memory", value: peakMiB, unit: "MiB", budget: { op: "<", value: 300 } });
  reportMeasurement({ pkg: "relay", name: "hostile input: another user's worst round trip", value: worstMs, unit: "ms", budget: { op: "<", value: 1_000 } });
  console.log(`(resident memory before the attacks: ${baseline.toFixed(0)} MiB)`);
  stuck.ws.terminate();
} finally {
  await relay.stop();
}
