import type { DocStore } from "../docs/DocStore.js";
import { str } from "../docs/Imm.js";
import type { GatewayId } from "../docs/ids.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import { openRoot } from "./openDoc.js";

/**
 * Retires the gateways that connected with a pairing token the person just revoked: they stay
 * named in the channels bound to them, but are no longer offered for new channels. A gateway that
 * connects again (with a new token) is offered again. Answers the gateways retired.
 */
export async function retireGateways(store: DocStore, actor: DeviceActor, input: { token: string }): Promise<GatewayId[]> {
  const root = await openRoot(store);
  const ids = Object.values(root.doc().gateways)
    .filter((g) => str(g.token) === input.token && g.retired === undefined)
    .map((g) => str(g.id));
  if (ids.length === 0) return [];
  const now = nowOf(actor);
  root.change((r) => {
    for (const id of ids) r.gateways[id]!.retired = now;
  });
  return ids;
}
