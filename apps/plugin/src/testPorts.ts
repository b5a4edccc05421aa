import { latestJobs, str, type ChannelDoc, type DocumentId, type EphFrame, type GatewayId, type JobLogDoc, type JobView, type TaskId } from "@botschat/model";
import type { PeerActivity } from "./PeerActivity.js";
import type { PeerPorts, PeerStore } from "./PeerPorts.js";

/** Fake {@link PeerPorts} for the unit tests of a peer's parts, and what went through them. */
export interface TestPorts {
  ports: PeerPorts;
  activity: PeerActivity[];
  /** Every eph frame sent, in order. */
  eph: { doc: DocumentId; frame: EphFrame }[];
  problems: string[];
  /** Moves the clock on (it also ticks one ms per reading). */
  advance(ms: number): void;
  /** The peer stops: `stopped()` answers true from now on. */
  stop(): void;
}

/**
 * Ports over `store` for the gateway `gw-home` (the one `testWorkspace`'s channel is bound to),
 * instance `i-test` unless told, with a clock that starts now.
 *
 * @example
 * const w = await testWorkspace();
 * const t = testPorts(w.store);
 * const replies = new ReplyRunner({ ...t.ports, backend, catalog, renewEveryMs: 60_000, quietMs: 180_000, streamEveryMs: 0 });
 */
export function testPorts(store: PeerStore, options: { instance?: string } = {}): TestPorts {
  let now = Date.now();
  let stopped = false;
  const t: TestPorts = {
    activity: [],
    eph: [],
    problems: [],
    ports: {
      store,
      actor: { gateway: "gw-home" as GatewayId, now: () => now++ },
      instance: options.instance ?? "i-test",
      sendEph: (doc, frame) => {
        t.eph.push({ doc, frame });
        return true;
      },
      activity: (a) => t.activity.push(a),
      problem: (what, e) => t.problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`),
      stopped: () => stopped,
    },
    advance: (ms) => {
      now += ms;
    },
    stop: () => {
      stopped = true;
    },
  };
  return t;
}

/** A task's jobs as its history shows them, newest first. */
export async function jobsOf(store: PeerStore, channelDoc: DocumentId, task: TaskId): Promise<JobView[]> {
  const logs = Object.values((await store.find<ChannelDoc>(channelDoc)).doc().tasks[task]?.jobLogs ?? {});
  return latestJobs(await Promise.all(logs.map(async (id) => (await store.find<JobLogDoc>(str(id))).doc())));
}
