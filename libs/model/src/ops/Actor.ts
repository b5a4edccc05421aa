import type { DeviceId, GatewayId } from "../docs/ids.js";

/** A person's device acting through the person-side operations. */
export interface DeviceActor {
  device: DeviceId;
  /** The clock (ms); `Date.now` by default. Tests pass a fixed one. */
  now?: () => number;
}

/** A gateway (plugin or demo agent) acting through the agent-side operations. */
export interface GatewayActor {
  gateway: GatewayId;
  /** The clock (ms); `Date.now` by default. */
  now?: () => number;
}

/** The actor's clock. */
export function nowOf(actor: { now?: () => number }): number {
  return actor.now === undefined ? Date.now() : actor.now();
}
