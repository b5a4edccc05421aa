import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { register, tempDir } from "@botschat/relay-testkit";
import { FilePeerStorage } from "../src/storage/FilePeerStorage.node.js";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { relayFixture } from "./relayFixture.js";
import { duplicateChanges, storedEntries } from "./relayLog.js";
import { workspaceState } from "./workspaceState.js";

interface Items {
  items: Record<string, number | string>;
}

const fx = relayFixture();
/** The crash test needs the relay process (the killed peer is a process of its own); the rest does not. */
const mem = memoryRelayFixture();
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const SCRIPT = fileURLToPath(new URL("./peerProcess.ts", import.meta.url));

/** Runs peerProcess.ts (with tsx); `lines` collects its output, `waitFor` waits for a line. */
function runPeer(args: string[]) {
  // `node --import tsx` (not the tsx launcher, which forks): the pid killed is the peer's own.
  const proc = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let wake = () => undefined as void;
  createInterface({ input: proc.stdout }).on("line", (l) => {
    lines.push(l);
    wake();
  });
  const errors: string[] = [];
  createInterface({ input: proc.stderr }).on("line", (l) => errors.push(l));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    lines,
    exited,
    waitFor: (pred: (l: string) => boolean, ms = 20_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`peer process: no matching line; out: ${lines.slice(-5).join(" | ")}; err: ${errors.join(" | ")}`)),
          ms,
        );
        const check = () => {
          const l = lines.find(pred);
          if (l === undefined) return;
          clearTimeout(timer);
          resolve(l);
        };
        wake = check;
        check();
      }),
  };
}

describe("offline, restart and crash with FilePeerStorage", () => {
  it("changes made offline survive a restart from files and arrive exactly once", async () => {
    const { token } = await mem.register();
    const dir = tempDir("botschat-model-peer-");
    const a = await mem.peer(token, { storage: await FilePeerStorage.open(dir) });
    await a.engine.unlock("file pass");
    await until(() => isLive(a), "a live");
    const b = await mem.peer(token);
    await b.engine.unlock("file pass");
    const doc = a.engine.create<Items>({ items: {} });
    await a.engine.whenIdle();
    await until(() => b.engine.has(doc.documentId), "b has the doc");

    a.engine.disconnect();
    for (let i = 0; i < 12; i++) {
      doc.change((d) => {
        d.items[`off${i}`] = i;
      });
      await new Promise((r) => setTimeout(r, i % 3 === 0 ? 15 : 0));
    }
    await a.engine.stop();
    await a.storage.close();
    // A new process: the same directory, nothing in memory.
    const a2 = await mem.peer(token, { storage: await FilePeerStorage.open(dir) });
    await a2.engine.unlock("file pass");
    await a2.engine.whenIdle();
    const onB = await b.engine.find<Items>(doc.documentId);
    await until(() => Object.keys(onB.doc().items).length === 12, "b sees every offline change");
    expect(await duplicateChanges(mem, token, "file pass")).toEqual([]);
    expect(await workspaceState(b.engine)).toEqual(await workspaceState(a2.engine));
    await a2.engine.stop();
    await a2.storage.close();
  });

  it("a peer process killed with SIGKILL mid-way delivers what it kept, exactly once, after it restarts on the same directory", async () => {
    const { token } = await register(fx.relay.url);
    const watcher = await fx.peer(token);
    await watcher.engine.unlock("kill pass");
    await until(() => isLive(watcher), "watcher live");
    const dir = tempDir("botschat-model-killed-");
    const args = [fx.relay.url, token, "kill pass", dir];

    const writer = runPeer([...args, "write"]);
    const docId = (await writer.waitFor((l) => l.startsWith("doc "))).slice(4);
    await writer.waitFor((l) => l === "acked 29");
    // Kill it while it writes: some changes are acked, some queued, some only in memory.
    await writer.waitFor((l) => l.startsWith("made 3") && l !== "made 3");
    writer.proc.kill("SIGKILL");
    await writer.exited;
    const made = writer.lines.filter((l) => l.startsWith("made ")).length;

    const drain = runPeer([...args, "drain", docId]);
    const items = (await drain.waitFor((l) => l.startsWith("items "))).slice(6).split(",");
    await drain.waitFor((l) => l === "idle");
    expect(await drain.exited).toBe(0);
    // Everything acked before the kill was kept; nothing beyond what was made appeared.
    for (let n = 0; n < 30; n++) expect(items).toContain(`i${n}`);
    expect(items.length).toBeLessThanOrEqual(made);

    const onWatcher = await until(() => watcher.engine.has(docId as never), "watcher has the doc").then(() => watcher.engine.find<Items>(docId as never));
    await until(() => Object.keys(onWatcher.doc().items).length === items.length, "watcher has everything the writer kept");
    expect(Object.keys(onWatcher.doc().items).sort()).toEqual([...items].sort());
    expect(await duplicateChanges(fx, token, "kill pass")).toEqual([]);
  });

  it("a device killed while it catches up stores what arrived as the relay's, never as its own: after its restart it appends nothing", async () => {
    const { token } = await register(fx.relay.url);
    const dir = tempDir("botschat-model-catchup-");
    const args = [fx.relay.url, token, "catch-up pass", dir];
    const maker = runPeer([...args, "make", "20"]);
    const ids = (await maker.waitFor((l) => l.startsWith("docs "))).slice(5).split(",");
    expect(await maker.exited).toBe(0);
    const other = await fx.peer(token);
    await other.engine.unlock("catch-up pass");
    await until(() => isLive(other), "the other device live");
    const handles = await Promise.all(ids.map((id) => other.engine.find<Items>(id as never)));
    const before = await storedEntries(fx, token);
    for (let round = 0; round < 5; round++) {
      // While the device is away, the other one writes to every document it has.
      for (let k = 0; k < 15; k++) {
        for (const h of handles) h.change((d) => void (d.items[`r${round}-${k}`] = k));
        await other.engine.whenIdle();
      }
      // It starts, and is killed a moment into catching up (a different moment each round).
      const catching = runPeer([...args, "catchup"]);
      await catching.waitFor((l) => l === "catching-up");
      await new Promise((r) => setTimeout(r, [0, 5, 15, 40, 90][round]));
      catching.proc.kill("SIGKILL");
      await catching.exited;
    }
    const after = await storedEntries(fx, token);
    const loader = runPeer([...args, "loadall", ids.join(",")]);
    await loader.waitFor((l) => l === "idle", 60_000);
    expect(await loader.exited).toBe(0);
    // Everything it holds came from the relay: starting, catching up and loading appended nothing.
    expect(await storedEntries(fx, token)).toBe(after);
    expect(after - before).toBeGreaterThanOrEqual(5 * 15);
    expect(await duplicateChanges(fx, token, "catch-up pass")).toEqual([]);
  });

  it("every change whose saved() resolved survives a SIGKILL moments later, round after round, and reaches the relay once", async () => {
    const { token } = await register(fx.relay.url);
    const dir = tempDir("botschat-model-saved-");
    const args = [fx.relay.url, token, "saved pass", dir];
    let docId: string | undefined;
    const saved = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const writer = runPeer([...args, "saved", ...(docId === undefined ? [] : [docId])]);
      docId ??= (await writer.waitFor((l) => l.startsWith("doc "))).slice(4);
      // Killed as soon as the test reads that a change was saved: 2 to 9 saves into the round.
      const kills = 2 + ((round * 5) % 8);
      await writer.waitFor(() => writer.lines.filter((l) => l.startsWith("saved ")).length >= kills);
      writer.proc.kill("SIGKILL");
      await writer.exited;
      for (const l of writer.lines) if (l.startsWith("saved ")) saved.add(`i${l.slice(6)}`);
    }
    expect(saved.size).toBeGreaterThanOrEqual(8 * 2);

    const drain = runPeer([...args, "drain", docId!]);
    const items = (await drain.waitFor((l) => l.startsWith("items "))).slice(6).split(",");
    await drain.waitFor((l) => l === "idle");
    expect(await drain.exited).toBe(0);
    for (const i of saved) expect(items, `${i} was saved before the kill`).toContain(i);
    expect(await duplicateChanges(fx, token, "saved pass")).toEqual([]);
  });
});
