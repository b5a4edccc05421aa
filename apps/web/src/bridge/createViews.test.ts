import type { DocumentId, MessageView } from "@botschat/model";
import { createRoot, createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import type { GlobalUpdate, WatchTarget, WatchUpdate } from "../shared/views.js";
import { createMessagesView } from "./createViews.js";
import { makeWorkspaceClient, type WorkspacePort } from "./WorkspaceClient.js";

/** An in-process stand-in for the worker: records watches, lets the test push updates. */
function fakeWorker() {
  const watches = new Map<number, { target: WatchTarget; cb: (u: WatchUpdate) => void }>();
  let next = 1;
  let global: ((u: GlobalUpdate) => void) | undefined;
  const port: WorkspacePort = {
    hello: async (cb) => ((global = cb), 1),
    goodbye: async () => undefined,
    watch: async (_client, target, cb) => {
      const id = next++;
      watches.set(id, { target, cb });
      return id;
    },
    unwatch: async (id) => void watches.delete(id),
  };
  const push = (doc: string, u: WatchUpdate): void => {
    for (const w of watches.values()) if (w.target.kind === "messages" && w.target.doc === doc) w.cb(u);
  };
  return { port, watches, push, global: (u: GlobalUpdate) => global?.(u) };
}

const m = (id: string, at: number, extra: Partial<MessageView> = {}): MessageView =>
  ({ id, role: "user", text: id, createdAt: at, status: "pending", attempt: 0, ...extra }) as MessageView;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe("the worker bridge", () => {
  it("merges the pages of a session in page order and updates only the page that changed", async () => {
    const w = fakeWorker();
    const ws = await makeWorkspaceClient(w.port, (f) => f);
    await createRoot(async (dispose) => {
      const view = createMessagesView(ws, () => ["p0", "p1"] as DocumentId[]);
      await tick();
      expect(view.loaded()).toBe(false);
      w.push("p1", { kind: "messages", view: { doc: "p1" as DocumentId, messages: [m("c", 3)], present: true } });
      w.push("p0", { kind: "messages", view: { doc: "p0" as DocumentId, messages: [m("a", 1), m("b", 2)], present: true } });
      expect(view.loaded()).toBe(true);
      expect(view.messages().map((x) => x.id)).toEqual(["a", "b", "c"]);
      const before = view.messages()[0];
      w.push("p1", { kind: "messages", view: { doc: "p1" as DocumentId, messages: [m("c", 3, { status: "answered" }), m("d", 4)], present: true } });
      expect(view.messages().map((x) => `${x.id}:${x.status}`)).toEqual(["a:pending", "b:pending", "c:answered", "d:pending"]);
      expect(view.messages()[0]).toBe(before);
      expect(view.docOf("d")).toBe("p1");
      dispose();
    });
  });

  it("shows reply streams by the message they answer and stops watching on cleanup", async () => {
    const w = fakeWorker();
    const ws = await makeWorkspaceClient(w.port, (f) => f);
    await createRoot(async (dispose) => {
      const view = createMessagesView(ws, () => ["p0"] as DocumentId[]);
      await tick();
      w.push("p0", {
        kind: "stream",
        stream: {
          doc: "p0" as DocumentId,
          message: "a" as never,
          run: "r" as never,
          seq: 2,
          text: "Hi th",
          reasoning: "",
          tools: [],
          done: false,
          startedAt: 0,
        },
      });
      expect(view.streams().get("a")?.text).toBe("Hi th");
      expect(w.watches.size).toBe(1);
      dispose();
      await tick();
      expect(w.watches.size).toBe(0);
    });
  });

  it("follows a new list of documents, dropping the old watches", async () => {
    const w = fakeWorker();
    const ws = await makeWorkspaceClient(w.port, (f) => f);
    await createRoot(async (dispose) => {
      const [docs, setDocs] = createSignal(["p0"] as DocumentId[]);
      const view = createMessagesView(ws, docs);
      await tick();
      w.push("p0", { kind: "messages", view: { doc: "p0" as DocumentId, messages: [m("a", 1)], present: true } });
      setDocs(["t9"] as DocumentId[]);
      await tick();
      expect([...w.watches.values()].map((x) => (x.target as { doc: string }).doc)).toEqual(["t9"]);
      expect(view.messages()).toEqual([]);
      dispose();
    });
  });

  it("turns the worker's status pushes into a signal", async () => {
    const w = fakeWorker();
    const ws = await makeWorkspaceClient(w.port, (f) => f);
    w.global({ kind: "status", status: { state: "live", progress: { applied: 0, head: 5, cursor: 5 }, pending: 0, opened: true } });
    expect(ws.status().state).toBe("live");
  });

  it("keeps the newest status when an older one arrives late on the other port", async () => {
    const w = fakeWorker();
    const ws = await makeWorkspaceClient(w.port, (f) => f);
    const status = (state: "live" | "locked", rev: number) => ({ state, progress: { applied: 0, head: 0, cursor: 0 }, pending: 0, opened: true, rev });
    ws.noteStatus(status("live", 7));
    w.global({ kind: "status", status: { ...status("locked", 5), lock: "needs-passphrase" } });
    expect(ws.status().state).toBe("live");
    w.global({ kind: "status", status: status("locked", 8) });
    expect(ws.status().state).toBe("locked");
  });
});
