import type { GatewayView } from "@botschat/model";

/** An agent a new channel may talk to, as a picker offers it. */
export interface AgentOption {
  /** The gateway and the agent, in one picker value (see {@link agentOfOption}). */
  value: string;
  /** The agent's name, and its gateway's where they differ. */
  label: string;
}

const SEP = "\u0000";

/**
 * The agents of the published gateways a new channel may talk to; a gateway whose pairing token
 * was revoked stays named in its old channels, but is not offered. Gateways `first` picks come first.
 */
export function agentOptions(gateways: readonly GatewayView[], first?: (g: GatewayView) => boolean): AgentOption[] {
  const live = gateways.filter((g) => g.retired === undefined);
  const ordered = first === undefined ? live : [...live].sort((a, b) => Number(first(b)) - Number(first(a)));
  return ordered.flatMap((g) => g.agents.map((a) => ({ value: `${g.id}${SEP}${a.id}`, label: a.name === g.name ? a.name : `${a.name} · ${g.name}` })));
}

/** The gateway and agent of a picker value, if it is one. */
export function agentOfOption(value: string): { gateway: string; agentId: string } | undefined {
  const [gateway, agentId] = value.split(SEP);
  return gateway === undefined || agentId === undefined ? undefined : { gateway, agentId };
}
