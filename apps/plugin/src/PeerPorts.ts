import type { DocStore, GatewayActor, SendEph } from "@botschat/model";
import type { PeerActivity } from "./PeerActivity.js";

/**
 * The documents the parts of an {@link AgentPeer} work on: the peer's `SyncEngine`, or a
 * `MemoryDocStore` in unit tests (which has neither `afterAck` nor `whenIdle`: its local copy is
 * all there is).
 */
export interface PeerStore extends DocStore {
  /** Resolves once every local change has reached the relay. */
  whenIdle?(): Promise<void>;
}

/**
 * What every part of an {@link AgentPeer} works through, instead of the peer itself: the
 * documents, the gateway acting (with its clock), the eph frames it sends and the activity it
 * reports.
 */
export interface PeerPorts {
  store: PeerStore;
  /** The gateway; its `now` is the clock of every record and duration (default `Date.now`). */
  actor: GatewayActor;
  /** This peer's instance id (see `AgentPeerOptions.instance`). */
  instance: string;
  /** Sends one eph frame about a document (the engine's `sendEph`). */
  sendEph: SendEph;
  activity: (a: PeerActivity) => void;
  /** Reports a failure no caller waits for (as a `problem` activity, unless the peer stops). */
  problem: (what: string, e: unknown) => void;
  /** True once the peer stops: nothing new starts. */
  stopped: () => boolean;
}
