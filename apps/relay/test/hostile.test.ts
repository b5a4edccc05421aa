import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode, encodeCbor, type ErrorFrame } from "@botschat/protocol";
import {
  arrayOfEmptyArrays,
  closedWithin,
  deeplyNested,
  openSynced,
  postHuge,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  rssMiB,
  startProbe,
  startRelay,
  SyncClient,
} from "@botschat/relay-testkit";
import { waitFor } from "./support.js";

// Hostile input against the real relay process, on loopback (docs/design.md "Budgets": the relay's
// resident memory stays under 300 MB and other users keep being answered within a second). Each
// case is bounded in time; a probe (another user) pings throughout. The worst figures are also
// printed by `pnpm bench relay` (bench/hostile.bench.ts).

/** The relay's resident memory must stay under this while it is attacked. */
const RSS_BOUND_MIB = 300;
/** Another user's round trip must be answered within this meanwhile (generous: a shared CI machine). */
const STALL_BOUND_MS = 2_000;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay({ args: ["--eph-rate", "1000000", "--eph-burst", "1000000", "--sockets-per-address", "64"] });
});
afterAll(async () => {
  await relay?.stop();
});

const isError = (f: { t: string }): boolean => f.t === "error";

describe("hostile input: bounded before trusted", () => {
  it("frames over the hello limit from sockets that have not said hello are refused from their header (1009), without buffering them", async () => {
    const probe = await startProbe(relay);
    const strangers = await Promise.all(Array.from({ length: 6 }, () => SyncClient.connect(relay.wsUrl)));
    for (const s of strangers) s.sendRaw(arrayOfEmptyArrays(16 * 1024 * 1024));
    for (const s of strangers) expect((await closedWithin(s, 10_000))?.code).toBe(CloseCode.messageTooBig);
    const { worstMs, peakMiB } = await probe.stop();
    expect(peakMiB).toBeLessThan(RSS_BOUND_MIB);
    expect(worstMs).toBeLessThan(STALL_BOUND_MS);
  });

  it("a frame of millions of empty arrays after hello is refused as bad_frame before decoding, and the socket stays open", async () => {
    const probe = await startProbe(relay);
    const u = await register(relay.url);
    const { client } = await openSynced(relay.wsUrl, u.token);
    const before = rssMiB(relay.proc.pid!);
    client.sendRaw(arrayOfEmptyArrays(15 * 1024 * 1024));
    const refused = await client.next<ErrorFrame>(isError, 10_000);
    expect(refused).toMatchObject({ code: "bad_frame", message: "frame is not valid CBOR: more than 32 items" });
    client.sendRaw(deeplyNested(5_000));
    expect(await client.next<ErrorFrame>(isError)).toMatchObject({ code: "bad_frame", message: "frame is not valid CBOR: nested deeper than 2" });
    await client.ping();
    const { worstMs, peakMiB } = await probe.stop();
    expect(peakMiB).toBeLessThan(RSS_BOUND_MIB);
    // The 15 MiB frame itself is buffered (it is within the frame limit), its decoding is not.
    expect(peakMiB - before).toBeLessThan(100);
    expect(worstMs).toBeLessThan(STALL_BOUND_MS);
    await client.close();
  });

  it("structurally valid but adversarial CBOR (fuzzed) gets an error or is handled, never a crash or a stall", async () => {
    const probe = await startProbe(relay);
    const u = await register(relay.url);
    const { client } = await openSynced(relay.wsUrl, u.token);
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.string({ maxLength: 40 }),
          fc.uint8Array({ maxLength: 64 }),
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        ),
        fc.array(tie("tree"), { maxLength: 8 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie("tree"), { maxKeys: 8 }),
      ),
    }));
    const frame = fc.oneof(
      tree.map((v) => encodeCbor(v)),
      fc.record({ t: fc.constantFrom("append", "eph", "hello", "ping"), extra: tree }).map((v) => encodeCbor(v)),
      // Heads announcing far more than the frame holds.
      fc.tuple(fc.constantFrom(0x9b, 0xbb, 0x5b, 0x7b), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([h, n]) => new Uint8Array([h, ...n, 0x00])),
    );
    const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 2 ** 31);
    const frames = fc.sample(frame, { numRuns: 1_500, seed });
    for (const f of frames) client.sendRaw(f);
    // The relay may close the socket for too many bad frames ([E1], 3.3): that is an answer too.
    await Promise.race([client.ping(20_000), client.closed]);
    const { worstMs, peakMiB } = await probe.stop();
    expect(relay.proc.exitCode, `seed ${seed}`).toBeNull();
    expect(peakMiB, `seed ${seed}`).toBeLessThan(RSS_BOUND_MIB);
    expect(worstMs, `seed ${seed}`).toBeLessThan(STALL_BOUND_MS);
  });

  it("400 MiB of eph frames to a socket that stops reading are dropped past its budget: the relay's memory stays flat", async () => {
    const probe = await startProbe(relay);
    const u = await register(relay.url);
    const { client: sender } = await openSynced(relay.wsUrl, u.token);
    const { client: stuck } = await openSynced(relay.wsUrl, u.token);
    // The stuck device stops reading its socket (a laptop lid closed mid-stream).
    (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const stream = randomStream();
    const body = randomBody(64 * 1024);
    for (let i = 0; i < 6_400; i++) {
      sender.send({ t: "eph", stream, body });
      if (i % 200 === 199) await sender.ping(10_000);
    }
    await sender.ping(10_000);
    const { worstMs, peakMiB } = await probe.stop();
    expect(peakMiB).toBeLessThan(RSS_BOUND_MIB);
    expect(worstMs).toBeLessThan(STALL_BOUND_MS);
    expect(sender.received.filter(isError)).toEqual([]);
    await sender.close();
    stuck.ws.terminate();
  }, 60_000);

  it("JSON bodies are refused from their announced size, or as they stream past 64 KiB, before any route reads them", async () => {
    const probe = await startProbe(relay);
    const announced = await postHuge(relay.url, "/api/auth/login", 300 * 1024 * 1024);
    expect(announced.status).toBe(413);
    expect(announced.sent).toBeLessThan(64 * 1024 * 1024);
    const streamed = await postHuge(relay.url, "/api/auth/register", 50 * 1024 * 1024, { chunked: true });
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(50 * 1024 * 1024);
    const { worstMs, peakMiB } = await probe.stop();
    expect(peakMiB).toBeLessThan(RSS_BOUND_MIB);
    expect(worstMs).toBeLessThan(STALL_BOUND_MS);
  });
});

describe("hostile input: socket caps", () => {
  let capped: RelayProcess;
  beforeAll(async () => {
    capped = await startRelay({ args: ["--sockets-per-address", "6", "--sockets-per-user", "3"] });
  });
  afterAll(async () => {
    await capped?.stop();
  });

  it("an address may have a few sockets open at once, authenticated or not; one more is refused with 429 until one closes", async () => {
    const open = await Promise.all(Array.from({ length: 6 }, () => SyncClient.connect(capped.wsUrl)));
    await expect(SyncClient.connect(capped.wsUrl)).rejects.toThrow(/HTTP 429/);
    await open[0]!.close();
    await waitFor(
      async () =>
        SyncClient.connect(capped.wsUrl).then(
          (c) => (open.push(c), true),
          () => false,
        ),
      5_000,
      "a socket after one closed",
    );
    await Promise.all(open.slice(1).map((c) => c.close()));
  });

  it("a user may have a few sockets open at once; one more is closed with 4429 after its hello", async () => {
    const u = await register(capped.url);
    const three = await Promise.all(Array.from({ length: 3 }, () => openSynced(capped.wsUrl, u.token)));
    const fourth = await SyncClient.connect(capped.wsUrl);
    fourth.send({ t: "hello", token: u.token, since: 0 });
    expect((await fourth.closed).code).toBe(CloseCode.tooManySockets);
    // The others are untouched.
    for (const { client } of three) await client.ping();
    await Promise.all(three.map(({ client }) => client.close()));
  });
});
