import type { DocumentId } from "@automerge/automerge-repo";
import { describe, expect, it } from "vitest";
import { OpError, OpErrorCode } from "../ops/OpError.js";
import { memoryRelayFixture } from "../../test/memoryRelayFixture.js";
import { isLive, until } from "../../test/peers.js";

// The engine as the coordinator of its parts, on MemoryRelay: what only shows with all of them
// together. Each part has its own tests beside it; the suites in libs/model/test run scenarios.

type Note = { text: string };
const PASS = "engine unit pass";
const fx = memoryRelayFixture();

async function twoDevices() {
  const { token } = await fx.register();
  const a = await fx.peer(token);
  const b = await fx.peer(token);
  await a.engine.unlock(PASS);
  await b.engine.unlock(PASS);
  await until(() => isLive(a) && isLive(b), "both live");
  return { token, a, b };
}

describe("SyncEngine", () => {
  it("sends a lone change at once, and gathers the changes made while an append awaits its ack into the next one", async () => {
    const { token } = await fx.register();
    // A debounce no test waits out: a change that goes, goes without it.
    const a = await fx.peer(token, { debounceMs: 60_000 });
    await a.engine.unlock(PASS);
    await until(() => isLive(a), "live");
    const appended = (): number => fx.relay.logOf(token).entries.length;
    const before = appended();
    const h = a.engine.create<Note>({ text: "one" });
    await until(() => appended() === before + 1, "the lone change at the relay");

    // While its append awaits the ack, three more changes: they go together once it comes.
    fx.relay.holdCommits();
    h.change((d) => void (d.text = "two"));
    await fx.relay.whenIdle();
    h.change((d) => void (d.text = "three"));
    h.change((d) => void (d.text = "four"));
    await new Promise((r) => setTimeout(r, 50));
    h.change((d) => void (d.text = "five"));
    fx.relay.releaseCommits();
    await until(() => appended() === before + 3, "the held append and the gathered one");
    await a.engine.whenIdle();
    expect(appended()).toBe(before + 3);
    const b = await fx.peer(token);
    await b.engine.unlock(PASS);
    await until(() => b.engine.has(h.documentId), "another device has it");
    await b.engine.whenSynced();
    expect((await b.engine.find<Note>(h.documentId)).doc().text).toBe("five");
  });

  it("queues a change made offline (the status counts it) and sends it once back", async () => {
    const { a, b } = await twoDevices();
    a.line.offline();
    const h = a.engine.create<Note>({ text: "offline" });
    await until(() => a.engine.getStatus().pending === 1, "one queued append");
    a.line.online();
    a.engine.reconnectNow();
    await a.engine.whenIdle();
    await until(() => b.engine.has(h.documentId), "b has the document");
    expect((await b.engine.find<Note>(h.documentId)).doc().text).toBe("offline");
    expect(a.engine.getStatus().pending).toBe(0);
  });

  it("afterAck decides at the change's place in the relay's order: of two devices asking 'first?', exactly one is, round after round", async () => {
    const { a, b } = await twoDevices();
    type Claims = { claims: Record<string, string> };
    const doc = a.engine.create<Claims>({ claims: {} });
    await a.engine.whenIdle();
    await until(() => b.engine.has(doc.documentId), "b has it");
    const hb = await b.engine.find<Claims>(doc.documentId);
    // Both appends land in one commit, so each device gets its ack and the other's entry together:
    // the decision must be taken before that entry applies, not once a promise settles.
    for (let round = 0; round < 20; round++) {
      const key = `r${round}`;
      const claim = (h: typeof doc, me: string) => {
        h.change((d) => {
          d.claims[`${key}|${me}`] = me;
        });
        return () => Object.entries(h.doc().claims).every(([k, c]) => !k.startsWith(`${key}|`) || c === me);
      };
      fx.relay.holdCommits();
      const asked = [a.engine.afterAck(doc.documentId, claim(doc, "a")), b.engine.afterAck(doc.documentId, claim(hb, "b"))];
      await fx.relay.whenIdle();
      fx.relay.releaseCommits();
      const answers = await Promise.all(asked);
      expect(answers.filter(Boolean), `round ${round}: ${JSON.stringify(answers)}`).toHaveLength(1);
    }
  });

  it("refuses a document another device deleted, after finds that came meanwhile; deleting it here too, and stopping, are no errors", async () => {
    const { a, b } = await twoDevices();
    const h = a.engine.create<Note>({ text: "doomed" });
    await a.engine.whenIdle();
    await until(() => b.engine.has(h.documentId), "b has it");
    const finds = Array.from({ length: 5 }, () => b.engine.find<Note>(h.documentId).catch((e: unknown) => e));
    await a.engine.tombstone(h.documentId);
    await until(() => !b.engine.has(h.documentId), "b applied the deletion");
    await Promise.all(finds);
    expect(b.engine.isLoaded(h.documentId)).toBe(false);
    await expect(b.engine.find(h.documentId)).rejects.toMatchObject({ code: OpErrorCode.deleted });
    await expect(b.engine.tombstone(h.documentId)).resolves.toBeUndefined();
    await expect(b.engine.stop()).resolves.toBeUndefined();
  });

  it("starts on storage where a deletion was cut short (chunks gone, state not yet stored), and takes the deletion again", async () => {
    const { token, a, b } = await twoDevices();
    const h = b.engine.create<Note>({ text: "half deleted" });
    await b.engine.whenIdle();
    await until(() => a.engine.has(h.documentId), "a has it");
    await b.engine.stop();
    // As if b crashed while applying a's deletion: its chunks were removed, and the commit of the
    // deleted state (and of the cursor past the tombstone) never happened; a change of it was pending.
    await a.engine.tombstone(h.documentId);
    await a.engine.whenIdle();
    await b.storage.removeRange([h.documentId]);
    await b.storage.commit({ meta: [[`pending:${h.documentId}`, new Uint8Array([1])]] });
    const again = await fx.peer(token, { storage: b.storage, line: b.line });
    await again.engine.unlock(PASS);
    await until(() => isLive(again), "b live again");
    await until(() => !again.engine.has(h.documentId), "b took the deletion");
    await expect(again.engine.find(h.documentId as DocumentId)).rejects.toBeInstanceOf(OpError);
  });
});
