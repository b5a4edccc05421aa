import type { DocHandle } from "@automerge/automerge-repo";
import type { ChannelId } from "../docs/ids.js";
import type { ChannelEntry, RootDoc } from "../docs/RootDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";

/** The root's entry of a channel that exists and is not deleted. */
export function liveChannel(root: DocHandle<RootDoc>, channel: ChannelId): ChannelEntry {
  const entry = root.doc().channels[channel];
  if (entry === undefined) throw new OpError(OpErrorCode.notFound, `no channel ${channel}`);
  if (entry.deleted !== undefined) throw new OpError(OpErrorCode.deleted, `channel ${channel} was deleted`);
  return entry;
}
