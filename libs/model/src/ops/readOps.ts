import type { DocStore } from "../docs/DocStore.js";
import { str } from "../docs/Imm.js";
import type { DocumentId, SessionId } from "../docs/ids.js";
import type { PageDoc } from "../docs/PageDoc.js";
import { newestPositionOf, readUpToOf } from "../docs/readState.js";
import type { DeviceActor } from "./Actor.js";
import { liveSession } from "./sessionOps.js";

/**
 * Marks a session read up to `upTo` (a read position), or, without it, up to its newest message.
 * The position only moves forward: an older one (a device that read less, or read late) changes
 * nothing and writes nothing. Answers whether it wrote.
 *
 * @example
 * await markSessionRead(store, me, { channelDoc, session });
 */
export async function markSessionRead(
  store: DocStore,
  _actor: DeviceActor,
  input: { channelDoc: DocumentId; session: SessionId; upTo?: number },
): Promise<boolean> {
  const channel = await liveSession(store, input.channelDoc, input.session);
  let upTo = input.upTo;
  if (upTo === undefined) {
    const entry = channel.doc().sessions[input.session]!;
    const pages = Object.entries(entry.pages).sort((a, b) => Number(b[0]) - Number(a[0]));
    // The newest page with a message in it (a page just started may be empty).
    for (const [, id] of pages) {
      const newest = newestPositionOf((await store.find<PageDoc>(str(id))).doc());
      if (newest > -Infinity) {
        upTo = newest;
        break;
      }
    }
  }
  if (upTo === undefined || !Number.isFinite(upTo)) return false;
  const current = readUpToOf(channel.doc().sessions[input.session]!);
  // Also written when devices' values conflict: one write settles them on the largest.
  const conflicted = current !== channel.doc().sessions[input.session]!.readUpTo;
  const target = Math.max(upTo, current ?? -Infinity);
  if (current !== undefined && target === current && !conflicted) return false;
  channel.change((c) => {
    c.sessions[input.session]!.readUpTo = target;
  });
  return true;
}
