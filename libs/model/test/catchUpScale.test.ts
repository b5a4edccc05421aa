import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import { sealEntry, streamIdFor, type VaultKeys } from "@botschat/crypto";
import type { EnvelopeDocId } from "@botschat/protocol";
import type { DocumentId } from "@automerge/automerge-repo";
import { register, SyncClient } from "@botschat/relay-testkit";
import { deriveDocumentId } from "../src/docs/deriveDocumentId.js";
import { isLive, until } from "./peers.js";
import { relayFixture } from "./relayFixture.js";
import { keysOf, readLog } from "./relayLog.js";

type Page = {
  messages: Record<string, { text: A.ImmutableString; at: number }>;
};

const fx = relayFixture();
/** Scaled down for the test suite; `CATCHUP_MESSAGES=10000` measures the full workspace of the budget. */
const MESSAGES = Number(process.env["CATCHUP_MESSAGES"] ?? 1_000);
const DOCS = 50;

/** Appends one update entry per message (the worst case: no batching, no snapshot), pipelined. */
async function seedLog(token: string, keys: VaultKeys): Promise<DocumentId[]> {
  const client = await SyncClient.connect(fx.relay.wsUrl);
  await client.hello(token, 1_000_000_000);
  const ids: DocumentId[] = [];
  let sent = 0;
  for (let d = 0; d < DOCS; d++) {
    const id = deriveDocumentId(`catch-up ${d}`);
    ids.push(id);
    const stream = streamIdFor(keys, id as unknown as EnvelopeDocId);
    let doc = A.from<Page>({ messages: {} }, { actor: "aa".repeat(16) as A.ActorId });
    let heads: A.Heads = [];
    for (let m = 0; m < MESSAGES / DOCS; m++) {
      const data = heads.length === 0 ? A.save(doc) : undefined;
      if (data) {
        client.send({
          t: "append",
          id: `s${d}-init`,
          stream,
          kind: "update",
          body: sealEntry(keys, { stream, kind: "update", doc: id as unknown as EnvelopeDocId, data }),
        });
        heads = A.getHeads(doc);
      }
      doc = A.change(doc, (p) => {
        p.messages[`m${m}`] = { text: new A.ImmutableString(`message ${m} of document ${d}, a line of chat text`), at: m };
      });
      const update = A.saveSince(doc, heads);
      heads = A.getHeads(doc);
      client.send({
        t: "append",
        id: `s${d}-${m}`,
        stream,
        kind: "update",
        body: sealEntry(keys, { stream, kind: "update", doc: id as unknown as EnvelopeDocId, data: update }),
      });
      sent += 1;
      if (sent % 500 === 0 && sent < MESSAGES) await client.next((f) => f.t === "ack" && f.id === `s${d}-${m}`, 20_000);
    }
  }
  await client.next((f) => f.t === "ack" && f.id === `s${DOCS - 1}-${MESSAGES / DOCS - 1}`, 20_000);
  client.close();
  return ids;
}

describe("catch-up at scale", () => {
  it(`a new device catches up ${MESSAGES} single-message entries in ${DOCS} documents`, async () => {
    const { token } = await register(fx.relay.url);
    const first = await fx.peer(token);
    await first.engine.unlock("scale pass");
    await until(() => isLive(first), "vault created");
    await first.engine.stop();
    const keys = keysOf((await readLog(fx.relay.wsUrl, token)).vault, "scale pass");
    const ids = await seedLog(token, keys);

    const t0 = performance.now();
    const c = await fx.peer(token, { snapshotAfterUpdates: 1_000_000, snapshotMinBytes: 1 << 30 });
    await c.engine.unlock("scale pass");
    await until(() => isLive(c), "caught up", 120_000);
    const ms = performance.now() - t0;
    const last = await c.engine.find<Page>(ids.at(-1)!);
    expect(Object.keys(last.doc().messages)).toHaveLength(MESSAGES / DOCS);
    console.log(
      `catch-up: ${MESSAGES} entries in ${DOCS} documents took ${ms.toFixed(0)} ms (${((ms * 1000) / MESSAGES).toFixed(0)} µs/entry), rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
  }, 150_000);
});
