import type { ChannelView, GatewayView, GuideView } from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";

/** The first-run guide's steps, in order. */
export const GUIDE_STEPS = ["passphrase", "agent", "channel", "hello"] as const;
export type GuideStep = (typeof GUIDE_STEPS)[number];

/** Where the guide stands, read from the workspace itself (so it resumes wherever it was left). */
export interface GuideProgress {
  /** The first step not done; undefined once all are. */
  current: GuideStep | undefined;
  done: ReadonlySet<GuideStep>;
  /** The guide's own gateway (the one that connected with its pairing token) is connected now. */
  connected: boolean;
}

/**
 * The guide's progress. The passphrase is set before any workspace opens; an agent is connected
 * once any gateway that is still paired published itself (by the guide's token or another); a
 * channel once one exists; and the guide is done once the person said hello or put it away.
 */
export function guideProgress(input: {
  guide: GuideView | undefined;
  gateways: readonly GatewayView[];
  peers: readonly PeerInfo[];
  channels: readonly ChannelView[];
}): GuideProgress {
  const tokenId = input.guide?.token?.id;
  const connected = tokenId !== undefined && input.peers.some((p) => p.kind === "plugin" && p.device === tokenId);
  const done = new Set<GuideStep>(["passphrase"]);
  if (connected || input.gateways.some((g) => g.retired === undefined && g.agents.length > 0)) done.add("agent");
  if (input.channels.length > 0) done.add("channel");
  if (input.guide?.finished !== undefined) for (const s of GUIDE_STEPS) done.add(s);
  return { current: GUIDE_STEPS.find((s) => !done.has(s)), done, connected };
}

/**
 * Whether the guide is offered: until it is finished, in a workspace it began in or that has no
 * channel yet (a workspace from before the guide, with channels, never shows it).
 */
export function guideWanted(guide: GuideView | undefined, channels: readonly ChannelView[]): boolean {
  if (guide?.finished !== undefined) return false;
  return guide !== undefined || channels.length === 0;
}
