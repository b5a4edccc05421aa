import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCbor, streamHex, type AckFrame, type EntryFrame } from "@botschat/protocol";
import {
  createPairingToken,
  json,
  openSynced,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  startRelay,
  SyncClient,
  type TestUser,
} from "@botschat/relay-testkit";
import { waitFor } from "./support.js";

/** Frame limit of the fuzzed relay: small, so that huge fields hit too_large and the 2× close. */
const FRAME_LIMIT = 65_536;
/** Wall-clock budget for sending frames. */
const BUDGET_MS = 12_000;
const MAX_FRAMES = 5_000;
const MIN_FRAMES = 1_000;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay({ args: ["--frame-limit", String(FRAME_LIMIT)] });
});
afterAll(async () => {
  await relay.stop();
});

type Op = { kind: "binary"; bytes: Uint8Array } | { kind: "text"; text: string } | { kind: "reopen"; hello: boolean };

function arbitraries(token: string, streams: Uint8Array[]) {
  const stream = fc.constantFrom(...streams);
  const append = fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 64 }),
      stream,
      kind: fc.constantFrom("update", "snapshot"),
      body: fc.uint8Array({ maxLength: 200 }),
      covers: fc.option(fc.nat({ max: 5_000 }), { nil: undefined }),
    })
    .map((a) => ({ t: "append", ...a, covers: a.kind === "snapshot" ? a.covers : undefined }));
  const valid = fc.oneof(
    { weight: 5, arbitrary: append },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("eph"), stream, body: fc.uint8Array({ maxLength: 200 }) }) },
    { weight: 2, arbitrary: fc.constant({ t: "ping" }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("hello"), token: fc.constantFrom(token, "bc_ses_nope", ""), since: fc.nat() }) },
  );
  const weird = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ minLength: 65, maxLength: 400 }),
    fc.integer(),
    fc.constantFrom(-1, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER, 0.5, NaN, Infinity),
    fc.double(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.constantFrom(null, true, false),
    fc.uint8Array({ maxLength: 100 }),
    fc.array(fc.integer(), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    fc.constantFrom("hello", "append", "eph", "ping", "welcome", "ack", "update", "snapshot"),
  );
  const huge = fc.oneof(
    fc.integer({ min: 40_000, max: 3 * FRAME_LIMIT }).map((n) => new Uint8Array(n).fill(7)),
    fc.integer({ min: 40_000, max: 3 * FRAME_LIMIT }).map((n) => "x".repeat(n)),
  );
  const field = fc.constantFrom("t", "id", "stream", "kind", "body", "covers", "token", "since", "label", "extra");
  const mutated = fc
    .tuple(
      valid,
      fc.array(fc.tuple(field, fc.oneof({ weight: 12, arbitrary: weird }, { weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: huge })), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([f, changes]) => {
      const out: Record<string, unknown> = { ...f };
      for (const [k, v] of changes) {
        if (v === undefined) delete out[k];
        else out[k] = v;
      }
      return out;
    });
  const encode = (v: unknown): Uint8Array | undefined => {
    try {
      return encodeCbor(v);
    } catch {
      return undefined;
    }
  };
  const binary = (bytes: Uint8Array | undefined): Op => {
    const b = bytes ?? new Uint8Array([0xff]);
    return { kind: "binary", bytes: b };
  };
  return fc.oneof(
    { weight: 10, arbitrary: valid.map((v) => binary(encode(v))) },
    { weight: 20, arbitrary: mutated.map((v) => binary(encode(v))) },
    { weight: 6, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => binary(b)) },
    {
      weight: 4,
      arbitrary: fc.tuple(valid, fc.nat()).map(([v, n]) => {
        const b = encode(v)!;
        return binary(b.slice(0, n % Math.max(1, b.length)));
      }),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([v, n, bit]) => {
        const b = encode(v)!.slice();
        b[n % b.length] = b[n % b.length]! ^ (1 << bit);
        return binary(b);
      }),
    },
    { weight: 3, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => binary(encode(v))) },
    { weight: 3, arbitrary: fc.string({ maxLength: 200 }).map((text): Op => ({ kind: "text", text })) },
    { weight: 1, arbitrary: fc.boolean().map((hello): Op => ({ kind: "reopen", hello })) },
  );
}

/** Close codes the relay may use on a fuzzed socket. */
const ALLOWED_CLOSES = new Set([4400, 4401, 1009]);

describe("[E1] malformed frames", () => {
  it("[E1] thousands of random and mutated frames neither crash the relay nor disturb a well-behaved socket of the same user", async () => {
    const seed = Number(process.env["FUZZ_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`[E1] fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);

    const user: TestUser = await register(relay.url);
    const pairing = await createPairingToken(relay.url, user.token, "observer");
    const fuzzStreams = [randomStream(), randomStream(16), randomStream(64)];
    const ops = arbitraries(user.token, fuzzStreams);

    // The well-behaved socket keeps appending and pinging throughout; an observer receives its entries.
    const good = (await openSynced(relay.wsUrl, user.token, 0, "good")).client;
    const observer = (await openSynced(relay.wsUrl, pairing.token, 0, "observer")).client;
    const goodStream = randomStream();
    const goodAcks = new Map<number, Uint8Array>();
    let goodPongs = 0;
    let goodRetries = 0;
    let worstMs = 0;
    let fuzzing = true;
    const goodLoop = (async () => {
      let n = 0;
      while (fuzzing) {
        const body = randomBody(32);
        const id = `good-${n++}`;
        for (;;) {
          const t0 = performance.now();
          const r = await good.append({ id, stream: goodStream, body }, 10_000);
          worstMs = Math.max(worstMs, performance.now() - t0);
          if (r.t === "ack") {
            goodAcks.set(r.seq, body);
            break;
          }
          // Only a rate limit may refuse a well-formed append; the peer retries it.
          expect(r.code).toBe("rate_limited");
          goodRetries++;
          await new Promise((res) => setTimeout(res, 50));
        }
        const t0 = performance.now();
        await good.ping(10_000);
        worstMs = Math.max(worstMs, performance.now() - t0);
        goodPongs++;
      }
    })();

    // The fuzzer.
    const fuzzClients: SyncClient[] = [];
    const closeCodes = new Map<number, number>();
    let current: SyncClient | undefined;
    const open = async (hello: boolean) => {
      if (current?.isOpen) await current.close();
      current = await SyncClient.connect(relay.wsUrl);
      fuzzClients.push(current);
      if (hello) {
        await current.hello(user.token, 0, "fuzz");
        await current.collectUntilSynced();
      }
    };
    await open(true);
    let sent = 0;
    let batch = 0;
    let reopens = 0;
    const deadline = Date.now() + BUDGET_MS;
    let chunk = 0;
    try {
      while (sent < MAX_FRAMES && Date.now() < deadline) {
        for (const op of fc.sample(ops, { seed: seed + chunk++, numRuns: 50 })) {
          // Most reopened sockets say hello; every tenth goes on fuzzing before hello.
          if (!current!.isOpen) await open(++reopens % 10 !== 0);
          if (op.kind === "reopen") {
            await open(op.hello);
            continue;
          }
          if (op.kind === "text") current!.sendRaw(op.text);
          else {
            current!.sendRaw(op.bytes);
          }
          sent++;
          if (++batch % 10 === 0) {
            // Backpressure and a liveness check: the relay answers a ping or has closed the socket.
            const c = current!;
            await Promise.race([c.ping(10_000).catch(() => undefined), c.closed]);
            if (!c.isOpen) await c.waitClosed(5_000);
            expect(c.isOpen || c.closeInfo !== undefined, "the relay answered within 10 s").toBe(true);
          }
        }
      }
    } finally {
      fuzzing = false;
      await goodLoop;
    }
    for (const c of fuzzClients) {
      if (c.isOpen) await c.close();
      const { code } = await c.waitClosed(5_000);
      closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
    }
    console.log(
      `[E1] sent ${sent} frames on ${fuzzClients.length} sockets; closes ${JSON.stringify(Object.fromEntries(closeCodes))}; ` +
        `good socket: ${goodAcks.size} acks, ${goodPongs} pongs, ${goodRetries} rate-limit retries, worst ${Math.round(worstMs)} ms`,
    );

    expect(sent).toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(relay.proc.exitCode).toBeNull();
    expect((await json(relay.url, "/api/health")).status).toBe(200);
    for (const c of fuzzClients) expect(c.violations).toEqual([]);
    for (const code of closeCodes.keys()) expect(code === 1000 || code === 1005 || ALLOWED_CLOSES.has(code), `close code ${code}`).toBe(true);
    expect(goodAcks.size).toBeGreaterThan(10);
    expect(goodPongs).toBeGreaterThan(10);
    expect(good.isOpen && observer.isOpen).toBe(true);
    expect(good.violations).toEqual([]);

    // Everything acked is stored (fuzzed snapshots may only have compacted their own fuzz streams).
    const check = await openSynced(relay.wsUrl, user.token, 0);
    const stored = new Map(check.entries.map((e) => [e.seq, e]));
    for (const [seq, body] of goodAcks) {
      expect(stored.get(seq)?.body, `good entry ${seq}`).toEqual(body);
      expect(streamHex(stored.get(seq)!.stream)).toBe(streamHex(goodStream));
    }
    // Fuzzed appends that were acked reached the observer; one is gone only if a later snapshot
    // of its (fuzz) stream compacted it.
    const fuzzAcks = fuzzClients.flatMap((c) => c.received.filter((f): f is AckFrame => f.t === "ack"));
    const observedEntries = () => new Map(observer.received.filter((f): f is EntryFrame => f.t === "entry").map((e) => [e.seq, e]));
    await waitFor(
      () => fuzzAcks.every((a) => observedEntries().has(a.seq)) && [...goodAcks.keys()].every((s) => observedEntries().has(s)),
      5_000,
      "the observer to receive every acked entry",
    );
    const observed = observedEntries();
    for (const a of fuzzAcks) {
      if (stored.has(a.seq)) continue;
      const e = observed.get(a.seq)!;
      const compacted = [...observed.values()].some((s) => s.kind === "snapshot" && s.seq > a.seq && streamHex(s.stream) === streamHex(e.stream));
      expect(compacted, `acked entry ${a.seq} (${a.id}) is gone without a later snapshot of its stream`).toBe(true);
      expect(fuzzStreams.map(streamHex)).toContain(streamHex(e.stream));
    }
    await Promise.all([good.close(), observer.close(), check.client.close()]);
    expect(relay.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
