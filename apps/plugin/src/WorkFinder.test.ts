import { describe, expect, it } from "vitest";
import {
  createTask,
  requestRun,
  ROOT_DOC_ID,
  sendMessage,
  type AgentId,
  type DocumentId,
  type GatewayId,
  type MessageId,
  type RunRequestId,
} from "@botschat/model";
import { testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import { sleep } from "./sleep.js";
import { WorkFinder } from "./WorkFinder.js";

interface Setup {
  w: TestWorkspace;
  finder: WorkFinder;
  /** The messages handed over, in order. */
  found: MessageId[];
  /** What the tasks' side was asked. */
  taskCalls: string[];
  state: { live: boolean; liveAsked: number };
}

async function setup(): Promise<Setup> {
  const w = await testWorkspace();
  const found: MessageId[] = [];
  const taskCalls: string[] = [];
  const state = { live: true, liveAsked: 0 };
  const finder = new WorkFinder({
    store: w.store,
    gateway: "gw-home" as GatewayId,
    agents: () => ["main" as AgentId],
    live: () => {
      state.liveAsked += 1;
      return state.live;
    },
    stopped: () => false,
    onMessage: (p) => found.push(p.message),
    tasks: {
      applyAll: () => {
        taskCalls.push("applyAll");
        return Promise.resolve();
      },
      runRequest: (_taskDoc: DocumentId, request: RunRequestId) => {
        taskCalls.push(`runRequest ${request}`);
        return Promise.resolve();
      },
    },
    problem: (what, e) => {
      throw new Error(`${what}: ${String(e)}`);
    },
  });
  return { w, finder, found, taskCalls, state };
}

/** Waits for the condition, then for the scan in progress to end. */
async function until(finder: WorkFinder, cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
  await finder.settled();
}

const say = async (w: TestWorkspace, text: string): Promise<MessageId> =>
  (await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text })).message;

describe("the work finder", () => {
  it("hands over the pending messages a full scan finds, oldest first, then reads only what changed, a burst of changes in one scan", async () => {
    const { w, finder, found } = await setup();
    const first = await say(w, "one");
    const second = await say(w, "two");
    finder.rescan(0);
    await until(finder, () => finder.counts().full === 1);
    expect(found).toEqual([first, second]);

    const third = await say(w, "three");
    for (let i = 0; i < 5; i++) finder.changed(w.page, false);
    await until(finder, () => finder.counts().incremental === 1);
    expect(finder.counts()).toEqual({ full: 1, incremental: 1 });
    expect(found.slice(2)).toContain(third);
  });

  it("reads the whole workspace again when the root changed (a channel may have been bound to it)", async () => {
    const { finder } = await setup();
    finder.rescan(0);
    await until(finder, () => finder.counts().full === 1);
    finder.changed(ROOT_DOC_ID, false);
    await until(finder, () => finder.counts().full === 2);
    expect(finder.counts().incremental).toBe(0);
  });

  it("looks for nothing while offline; once back, a full scan finds what came meanwhile", async () => {
    const { w, finder, found, state } = await setup();
    state.live = false;
    const waiting = await say(w, "hello?");
    finder.rescan(0);
    await until(finder, () => state.liveAsked > 0);
    expect(finder.counts()).toEqual({ full: 0, incremental: 0 });

    state.live = true;
    finder.rescan(0);
    await until(finder, () => finder.counts().full === 1);
    expect(found).toEqual([waiting]);
  });

  it("has the tasks applied on every scan and hands over the run-now requests it finds", async () => {
    const { w, finder, taskCalls } = await setup();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, name: "Digest", schedule: "every 1h", timezone: "UTC", prompt: "Summarise" });
    const request = await requestRun(w.store, w.me, { taskDoc: doc });
    finder.rescan(0);
    await until(finder, () => finder.counts().full === 1);
    expect(taskCalls).toEqual(["applyAll", `runRequest ${request}`]);

    finder.changed(doc, false);
    await until(finder, () => finder.counts().incremental === 1);
    expect(taskCalls.slice(2)).toEqual(["applyAll", `runRequest ${request}`]);
  });
});
