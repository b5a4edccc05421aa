import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { AgentId, ChannelId, DeviceId, DocumentId, GatewayId, SessionId } from "../docs/ids.js";
import type { DeviceActor, GatewayActor } from "./Actor.js";
import { createChannel } from "./channelOps.js";
import { createSession } from "./sessionOps.js";

/** A clock for tests: returns `start`, then one ms more on every call. */
export function tickingClock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

/** A device actor for tests. */
export function testDevice(n = 1, start?: number): DeviceActor {
  return { device: `d_device${String(n).padStart(10, "0")}` as DeviceId, now: tickingClock(start) };
}

/** A gateway actor for tests. */
export function testGateway(name = "gw-home", start?: number): GatewayActor {
  return { gateway: name as GatewayId, now: tickingClock(start) };
}

/** A workspace in a {@link MemoryDocStore} for tests: one channel bound to `gw-home`'s `main` agent, with one session. */
export interface TestWorkspace {
  store: MemoryDocStore;
  me: DeviceActor;
  channel: ChannelId;
  channelDoc: DocumentId;
  session: SessionId;
  page: DocumentId;
}

/** Builds a {@link TestWorkspace}. */
export async function testWorkspace(store = new MemoryDocStore()): Promise<TestWorkspace> {
  const me = testDevice(1);
  const { channel, doc: channelDoc } = await createChannel(store, me, {
    name: "General",
    gateway: "gw-home" as GatewayId,
    agentId: "main" as AgentId,
  });
  const { session, page } = await createSession(store, me, { channelDoc, title: "First" });
  return { store, me, channel, channelDoc, session, page };
}
