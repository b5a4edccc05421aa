import { Repo, type DocHandle } from "@automerge/automerge-repo";
import type { DocumentId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { type DocReader, ViewWatch, type WatchStore } from "./ViewWatch.js";

interface Note {
  text: string;
  next?: string;
}

/** An in-memory store whose documents can be hidden (not on this device yet) and loads that wait until released. */
function makeStore() {
  const repo = new Repo({ network: [] });
  const hidden = new Set<string>();
  const gates = new Map<string, (() => void)[]>();
  let holdLoads = false;
  const store: WatchStore = {
    has: (id) => !hidden.has(id),
    find: async <T>(id: DocumentId) => {
      if (holdLoads) await new Promise<void>((r) => gates.set(id, [...(gates.get(id) ?? []), r]));
      return (await repo.find<T>(id as never)) as DocHandle<T>;
    },
  };
  return {
    store,
    create: (n: Note) => repo.create<Note>(n),
    hide: (id: string) => hidden.add(id),
    show: (id: string) => hidden.delete(id),
    holdLoads: () => (holdLoads = true),
    finishLoad: (id: string) => gates.get(id)?.forEach((r) => r()),
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await tick();
  expect(cond()).toBe(true);
};

/** Follows a chain of notes from `first`: the texts it can read. */
const chain = (first: DocumentId) => (read: DocReader) => {
  const out: string[] = [];
  let id: string | undefined = first;
  while (id !== undefined) {
    const n: Note | undefined = read.doc<Note>(id as DocumentId);
    if (n === undefined) break;
    out.push(n.text);
    id = n.next;
  }
  return out;
};

describe("ViewWatch", () => {
  it("pushes a view of several documents and again when any of them changes, following what it reads", async () => {
    const s = makeStore();
    const b = s.create({ text: "b" });
    const a = s.create({ text: "a", next: b.documentId });
    const seen: string[][] = [];
    const w = new ViewWatch(
      () => s.store,
      chain(a.documentId as DocumentId),
      (v) => seen.push(v),
    );
    w.start();
    await until(() => seen.at(-1)?.join() === "a,b");
    expect(w.reads(b.documentId as DocumentId)).toBe(true);
    b.change((d) => (d.text = "B"));
    await until(() => seen.at(-1)?.join() === "a,B");
    // No longer read: no longer followed.
    a.change((d) => delete d.next);
    await until(() => seen.at(-1)?.join() === "a");
    expect(w.reads(b.documentId as DocumentId)).toBe(false);
    const pushes = seen.length;
    b.change((d) => (d.text = "bb"));
    await tick();
    expect(seen.length).toBe(pushes);
  });

  it("pushes nothing while a document it reads is loading, unless the view is partial", async () => {
    const s = makeStore();
    const b = s.create({ text: "b" });
    const a = s.create({ text: "a", next: b.documentId });
    s.holdLoads();
    const whole: string[][] = [];
    const partial: string[][] = [];
    new ViewWatch(
      () => s.store,
      chain(a.documentId as DocumentId),
      (v) => whole.push(v),
    ).start();
    new ViewWatch(
      () => s.store,
      chain(a.documentId as DocumentId),
      (v) => partial.push(v),
      { partial: true },
    ).start();
    await tick();
    expect(whole).toEqual([]);
    expect(partial).toEqual([[]]);
    s.finishLoad(a.documentId);
    await until(() => partial.at(-1)?.join() === "a");
    expect(whole).toEqual([]);
    s.finishLoad(b.documentId);
    await until(() => whole.length > 0 && partial.at(-1)?.join() === "a,b");
    expect(whole).toEqual([["a", "b"]]);
  });

  it("shows a document that is not on this device as absent and computes again when it arrives", async () => {
    const s = makeStore();
    const b = s.create({ text: "b" });
    const a = s.create({ text: "a", next: b.documentId });
    s.hide(b.documentId);
    const seen: string[][] = [];
    const w = new ViewWatch(
      () => s.store,
      chain(a.documentId as DocumentId),
      (v) => seen.push(v),
    );
    w.start();
    await until(() => seen.at(-1)?.join() === "a");
    w.arrived("elsewhere" as DocumentId);
    s.show(b.documentId);
    w.arrived(b.documentId as DocumentId);
    await until(() => seen.at(-1)?.join() === "a,b");
  });

  it("waits for an engine, and after close pushes nothing more", async () => {
    const s = makeStore();
    const a = s.create({ text: "a" });
    const engine: { store?: WatchStore } = {};
    const seen: string[][] = [];
    const w = new ViewWatch(
      () => engine.store,
      chain(a.documentId as DocumentId),
      (v) => seen.push(v),
    );
    w.start();
    await tick();
    expect(seen).toEqual([]);
    engine.store = s.store;
    w.retry();
    await until(() => seen.length === 1);
    expect(w.close().map((h) => h.documentId)).toEqual([a.documentId]);
    a.change((d) => (d.text = "A"));
    await tick();
    expect(seen).toEqual([["a"]]);
  });
});
