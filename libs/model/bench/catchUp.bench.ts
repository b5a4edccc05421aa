// Budgets (DESIGN.md): a new device catches up a workspace of 10,000 messages in 50 sessions and
// shows the latest session in < 2 s; a warm start from local storage shows it in < 300 ms; what
// the relay stores for a compacted document is ≤ 1.1 × its Automerge save size.
//
// One device writes the workspace through the product's operations (5 channels × 10 sessions ×
// 200 messages, acked every 10 messages, so each page reaches the relay as 20 updates) into a
// FilePeerStorage, then reconnects; snapshots are whatever the engine's policy writes (while
// writing, once a page has been quiet for `compactQuietMs`, and at the reconnect's `synced`, where
// a page whose trailing updates weigh more than a tenth of its last snapshot is compacted), and
// the relay drops what their `covers` covers. Then:
// - cold: a new device (fresh memory storage, only the passphrase) in a process of its own: time
//   until the latest session (root → last channel → latest session → its page with all 200
//   messages) is readable, and until `live`; the process's peak memory. The budget is the
//   browser's; this is the Node peer (no IndexedDB, no worker hop, no rendering).
// - warm: the writer's storage opened by a new engine in a new process with the relay stopped:
//   time until the latest session is readable (storage opened, engine started and unlocked).
// - storage: the relay's bytes for the latest page's stream (read by a raw client) against
//   `Automerge.save` of that page; envelope overhead (nonce, tag, padding to 256 B, CBOR) included.
// The vault uses libsodium's minimum Argon2id cost, so key derivation is left out of the times.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as A from "@automerge/automerge";
import { openVault, streamIdFor } from "@botschat/crypto";
import type { EnvelopeDocId } from "@botschat/protocol";
import { reportMeasurement, giveUpAfter } from "@botschat/bench-kit";
import { openSynced, register, startRelayForBench } from "@botschat/relay-testkit";
import type { DocumentId } from "../src/docs/ids.js";
import { FilePeerStorage } from "../src/storage/FilePeerStorage.node.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import { runNewDevice } from "./runNewDevice.js";
import { startBenchEngine } from "../testkit/startBenchEngine.js";
import { waitFor } from "../testkit/waitFor.js";
import { writeWorkspace } from "../testkit/writeWorkspace.js";

const SHAPE = { channels: 5, sessionsPerChannel: 10, messagesPerSession: 200, messagesPerUpdate: 10 };
const PASSPHRASE = "bench correct horse battery staple";
const TIMEOUT_MS = 60_000;
const WARM_RUNS = 3;
const MiB = 2 ** 20;

// The whole file is bounded: a stuck step fails the run instead of hanging `pnpm bench`.
giveUpAfter(150, import.meta.url);

const relay = await startRelayForBench();
const dir = mkdtempSync(join(tmpdir(), "botschat-bench-model-"));
try {
  const { token } = await register(relay.url);

  // ------------------------------------------------------------ the workspace
  const storage = await FilePeerStorage.open(dir);
  const writer = await startBenchEngine(relay.url, token, { storage });
  await writer.unlock(PASSPHRASE);
  const isLive = (): boolean => writer.getStatus().state === ConnectionState.live;
  await waitFor([writer], isLive, "the writer live", TIMEOUT_MS);
  let snapshots = 0;
  writer.on("log", (e) => {
    if (e.msg.startsWith("snapshot of")) snapshots += 1;
  });
  const t0 = performance.now();
  const written = await writeWorkspace(writer, SHAPE);
  const writeSecs = (performance.now() - t0) / 1000;
  const snapshotsWhileWriting = snapshots;
  // A reconnect gives the engine's snapshot policy its chance at `synced` too.
  writer.disconnect();
  writer.reconnectNow();
  await waitFor([writer], isLive, "the writer live again", TIMEOUT_MS);
  await writer.whenIdle();
  const latestPage = written.pages.at(-1)!;
  const pageDoc = (await writer.find(latestPage)).doc() as A.Doc<unknown>;
  const saveBytes = A.save(pageDoc).length;
  const saveBytesAll = await Promise.all(written.pages.map(async (p) => A.save((await writer.find(p)).doc() as A.Doc<unknown>).length));
  await writer.stop();
  await storage.close();
  console.log(
    `(workspace: ${written.messages} messages in ${written.pages.length} sessions, ${(written.textBytes / MiB).toFixed(1)} MiB of text, ` +
      `written and acked in ${writeSecs.toFixed(1)} s; the writer wrote ${snapshotsWhileWriting} snapshots while writing, ` +
      `${snapshots - snapshotsWhileWriting} after reconnecting)`,
  );

  // ------------------------------------------------------------ what the relay stores
  const { client, welcome, entries } = await openSynced(relay.wsUrl, token);
  await client.close();
  const opened = openVault(welcome.vault!, PASSPHRASE);
  if (!opened.ok) throw new Error("cannot open the vault");
  const streamKey = (s: Uint8Array): string => Buffer.from(s).toString("hex");
  const stored = new Map<string, { entries: number; snapshots: number; bytes: number }>();
  for (const e of entries) {
    const k = streamKey(e.stream);
    const s = stored.get(k) ?? { entries: 0, snapshots: 0, bytes: 0 };
    s.entries += 1;
    s.bytes += e.body.length;
    if (e.kind === "snapshot") s.snapshots += 1;
    stored.set(k, s);
  }
  const storedOf = (page: DocumentId) =>
    stored.get(streamKey(streamIdFor(opened.keys, page as unknown as EnvelopeDocId))) ?? { entries: 0, snapshots: 0, bytes: 0 };
  const latest = storedOf(latestPage);
  const compacted = written.pages.map((p, i) => ({ s: storedOf(p), save: saveBytesAll[i]! })).filter((x) => x.s.snapshots > 0);
  const allBytes = entries.reduce((n, e) => n + e.body.length, 0);

  reportMeasurement({
    pkg: "model",
    name: "compacted page: relay bytes / save",
    value: latest.bytes / saveBytes,
    unit: "×",
    budget: { op: "<=", value: 1.1 },
  });
  reportMeasurement({ pkg: "model", name: "compacted page: Automerge save size", value: saveBytes / 1024, unit: "KiB" });
  reportMeasurement({ pkg: "model", name: "compacted page: relay bytes", value: latest.bytes / 1024, unit: "KiB" });
  reportMeasurement({ pkg: "model", name: "compacted page: messages", value: SHAPE.messagesPerSession, unit: "messages" });
  if (compacted.length > 0) {
    const ratio = compacted.reduce((n, x) => n + x.s.bytes, 0) / compacted.reduce((n, x) => n + x.save, 0);
    reportMeasurement({ pkg: "model", name: `all ${compacted.length} compacted pages: bytes / save`, value: ratio, unit: "×" });
  }
  console.log(
    `(latest page: ${latest.entries} entries on the relay, ${latest.snapshots} snapshot; ` +
      `the whole log: ${entries.length} entries, ${(allBytes / MiB).toFixed(2)} MiB, envelope overhead included)`,
  );

  // ------------------------------------------------------------ cold catch-up
  const cold = await runNewDevice({
    mode: "cold",
    relayUrl: relay.url,
    token,
    passphrase: PASSPHRASE,
    expectPage: latestPage,
    expectMessages: SHAPE.messagesPerSession,
    timeoutMs: TIMEOUT_MS,
  });
  reportMeasurement({
    pkg: "model",
    name: "cold catch-up: latest session (Node)",
    value: cold.readableMs,
    unit: "ms",
    budget: { op: "<", value: 2_000 },
  });
  reportMeasurement({ pkg: "model", name: "cold catch-up: until live (Node)", value: cold.liveMs, unit: "ms" });
  reportMeasurement({ pkg: "model", name: "cold catch-up: peak RSS", value: cold.peakRss / MiB, unit: "MiB" });
  reportMeasurement({ pkg: "model", name: "cold catch-up: peak heap used", value: cold.peakHeap / MiB, unit: "MiB" });
  reportMeasurement({ pkg: "model", name: "cold catch-up: peak external", value: cold.peakExternal / MiB, unit: "MiB" });
  console.log(
    `(new device in its own process: ${cold.applied} entries applied, ${cold.documents} documents; ` +
      `ms since the first step: started ${cold.startedMs.toFixed(0)}, unlocked ${cold.unlockedMs.toFixed(0)}; ` +
      `RSS ${(cold.rssBefore / MiB).toFixed(0)} MiB before it started; the budget is the browser's, this is the Node peer)`,
  );

  // ------------------------------------------------------------ warm start
  await relay.stop();
  const warm: number[] = [];
  const phases: string[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const r = await runNewDevice({
      mode: "warm",
      relayUrl: relay.url,
      token,
      passphrase: PASSPHRASE,
      storageDir: dir,
      expectPage: latestPage,
      expectMessages: SHAPE.messagesPerSession,
      timeoutMs: TIMEOUT_MS,
    });
    warm.push(r.readableMs);
    phases.push(`storage ${r.openedMs.toFixed(0)}, started ${r.startedMs.toFixed(0)}, unlocked ${r.unlockedMs.toFixed(0)}, shown ${r.readableMs.toFixed(0)}`);
  }
  warm.sort((a, b) => a - b);
  reportMeasurement({
    pkg: "model",
    name: "warm start: latest session (Node)",
    value: warm[Math.floor(warm.length / 2)]!,
    unit: "ms",
    budget: { op: "<", value: 300 },
  });
  console.log(`(FilePeerStorage, relay stopped; median of ${WARM_RUNS} new processes, ms since the first step: ${phases.join("; ")})`);
} finally {
  await relay.stop();
  rmSync(dir, { recursive: true, force: true });
}
