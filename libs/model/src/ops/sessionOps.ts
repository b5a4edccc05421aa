import type { DocHandle } from "@automerge/automerge-repo";
import type { ChannelDoc, SessionEntry } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import { type DocumentId, type ModelId, randomId, type SessionId } from "../docs/ids.js";
import { type PageDoc, pageInitial } from "../docs/PageDoc.js";
import { type DeviceActor, type GatewayActor, nowOf } from "./Actor.js";
import { openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { queueBlobDeletions } from "./blobDeletionOps.js";
import { tombstoneSession } from "./tombstoneSession.js";
import { validName } from "./validName.js";

/** A new session: its id and its first page document. */
export interface CreatedSession {
  session: SessionId;
  page: DocumentId;
}

/**
 * Creates a session in a channel with an empty first page. A gateway may create one too (the
 * conversation of a job); with a chosen `session` id the call is idempotent: if that session
 * exists it is returned as it is.
 *
 * @example
 * const { session, page } = await createSession(store, me, { channelDoc, title: "Planning" });
 */
export async function createSession(
  store: DocStore,
  actor: DeviceActor | GatewayActor,
  input: { channelDoc: DocumentId; title: string; model?: ModelId; session?: SessionId },
): Promise<CreatedSession> {
  const title = validName(input.title);
  const channel = await openDoc<ChannelDoc>(store, input.channelDoc, "channel");
  const existing = input.session === undefined ? undefined : channel.doc().sessions[input.session];
  if (existing !== undefined) return { session: str(existing.id), page: str(existing.pages["0"]!) };
  const session = input.session ?? randomId<SessionId>();
  const page = store.create<PageDoc>(pageInitial({ channel: str(channel.doc().id), channelDoc: input.channelDoc, session, page: 0 })).documentId;
  const now = nowOf(actor);
  channel.change((c) => {
    const entry: SessionEntry = { id: imm(session), title: imm(title), pages: { "0": imm(page) }, createdAt: now };
    if (input.model !== undefined) entry.model = imm(input.model);
    c.sessions[session] = entry;
  });
  return { session, page };
}

/** Renames a session. */
export async function renameSession(store: DocStore, _actor: DeviceActor, input: { channelDoc: DocumentId; session: SessionId; title: string }): Promise<void> {
  const title = validName(input.title);
  const channel = await liveSession(store, input.channelDoc, input.session);
  channel.change((c) => {
    c.sessions[input.session]!.title = imm(title);
  });
}

/** Archives a session (its tab closes, its history stays) or brings it back. */
export async function archiveSession(
  store: DocStore,
  _actor: DeviceActor | GatewayActor,
  input: { channelDoc: DocumentId; session: SessionId; archived: boolean },
): Promise<void> {
  const channel = await liveSession(store, input.channelDoc, input.session);
  channel.change((c) => {
    c.sessions[input.session]!.archived = input.archived;
  });
}

/** Chooses the model of a session (`null`: the gateway's default). */
export async function setSessionModel(
  store: DocStore,
  _actor: DeviceActor | GatewayActor,
  input: { channelDoc: DocumentId; session: SessionId; model: ModelId | null },
): Promise<void> {
  const channel = await liveSession(store, input.channelDoc, input.session);
  channel.change((c) => {
    const s = c.sessions[input.session]!;
    if (input.model === null) delete s.model;
    else s.model = imm(input.model);
  });
}

/**
 * Deletes a session: marks it deleted, tombstones its pages and their threads, and queues the
 * blobs of their messages that no live message refers to for deletion at the relay
 * (`queueBlobDeletions`). Deleting twice is fine.
 */
export async function deleteSession(store: DocStore, actor: DeviceActor, input: { channelDoc: DocumentId; session: SessionId }): Promise<void> {
  const channel = await openDoc<ChannelDoc>(store, input.channelDoc, "channel");
  const entry = channel.doc().sessions[input.session];
  if (entry === undefined) throw new OpError(OpErrorCode.notFound, `no session ${input.session}`);
  const now = nowOf(actor);
  if (entry.deleted === undefined) {
    channel.change((c) => {
      c.sessions[input.session]!.deleted = now;
    });
  }
  const hashes = await tombstoneSession(store, channel.doc().sessions[input.session]!);
  await queueBlobDeletions(store, hashes, now);
}

/** The channel of a session that exists and is not deleted. */
export async function liveSession(store: DocStore, channelDoc: DocumentId, session: SessionId): Promise<DocHandle<ChannelDoc>> {
  const channel = await openDoc<ChannelDoc>(store, channelDoc, "channel");
  const entry = channel.doc().sessions[session];
  if (entry === undefined) throw new OpError(OpErrorCode.notFound, `no session ${session}`);
  if (entry.deleted !== undefined) throw new OpError(OpErrorCode.deleted, `session ${session} was deleted`);
  return channel;
}
