import { DocType } from "../docs/DocType.js";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import { type Imm, str } from "../docs/Imm.js";
import type { ChannelId, DocumentId, GatewayId } from "../docs/ids.js";
import type { MessageRecord } from "../docs/MessageRecord.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { ChannelEntry, RootDoc } from "../docs/RootDoc.js";
import type { TaskDoc } from "../docs/TaskDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { taskRevision } from "../docs/workspaceViews.js";
import {
  claimable,
  type FindWorkOptions,
  modelOf,
  type PendingMessage,
  type PendingRunRequest,
  type TaskToApply,
  tryFind,
  type WorkPlace,
} from "./findWork.js";
import { openRoot } from "./openDoc.js";
import { chosenModelOf } from "./settingsOps.js";

/** What a set of changed documents holds for a gateway to do. */
export interface WorkInDocs {
  /** Person's messages waiting for an answer, oldest first (as `findPendingMessages`). */
  messages: PendingMessage[];
  /** Tasks whose revision the gateway has not applied (as `findTasksToApply`). */
  tasks: TaskToApply[];
  /** Run-now requests not consumed yet, oldest first (as `findRunRequests`). */
  runRequests: PendingRunRequest[];
  /**
   * The workspace root was among the documents: a channel may have been bound to this gateway
   * (or rebound), which the changed documents alone do not show — run the full queries once.
   */
  rescan: boolean;
}

/**
 * The work for `gateway` in the given documents only: the incremental form of
 * `findPendingMessages`, `findTasksToApply` and `findRunRequests`, for a peer
 * that collects the documents other devices changed (the engine's `remote` event) and asks about
 * those instead of reading the whole workspace each time. Pages and threads give their messages;
 * a task document its revision and run requests; a channel document the tasks it lists. Other
 * documents, and documents of channels not bound to the gateway (or its `agents`), give nothing.
 *
 * The full queries stay the fallback: on start, when the peer comes back online (entries may
 * have been applied before it listened), when `rescan` says so, and now and then, since a claim
 * whose lease runs out changes no document.
 *
 * @example
 * const changed = new Set<DocumentId>();
 * engine.on("remote", (id, info) => {
 *   if (!info.deleted) changed.add(id);
 * });
 * // later, in the work loop:
 * const ids = [...changed];
 * changed.clear();
 * const work = await findWorkIn(engine, gateway, ids, { agents });
 * if (work.rescan) await fullScan();
 * for (const p of work.messages) answer(p);
 */
export async function findWorkIn(store: DocStore, gateway: GatewayId, docs: Iterable<DocumentId>, options: FindWorkOptions = {}): Promise<WorkInDocs> {
  const now = options.now ?? Date.now();
  const ids = new Set(docs);
  const out: WorkInDocs = { messages: [], tasks: [], runRequests: [], rescan: ids.has(ROOT_DOC_ID) };
  ids.delete(ROOT_DOC_ID);
  if (ids.size === 0) return out;
  const root = (await openRoot(store)).doc();
  const chosen = chosenModelOf(root, gateway);
  const channels = new Map<DocumentId, ChannelDoc | undefined>();
  const channelOf = async (id: DocumentId): Promise<ChannelDoc | undefined> => {
    if (!channels.has(id)) channels.set(id, await tryFind<ChannelDoc>(store, id));
    return channels.get(id);
  };
  /** The channel's binding, when it is this gateway's (and one of `agents`); deleted ones only when asked. */
  const placeOf = (channel: Imm<ChannelId>, withDeleted: boolean): WorkPlace | undefined => {
    const entry = (root as RootDoc).channels[str(channel)] as ChannelEntry | undefined;
    if (entry === undefined || str(entry.gateway) !== gateway) return undefined;
    if (options.agents !== undefined && !options.agents.includes(str(entry.agentId))) return undefined;
    if (entry.deleted !== undefined && !withDeleted) return undefined;
    return { channel: str(entry.id), channelDoc: str(entry.doc), agentId: str(entry.agentId) };
  };

  const messages: (PendingMessage & { createdAt: number })[] = [];
  const taskDocs = new Set<DocumentId>();
  for (const id of ids) {
    const doc = await tryFind<{ type?: Imm<string> }>(store, id);
    switch (str(doc?.type)) {
      case DocType.page:
      case "thread": {
        const d = doc as PageDoc | ThreadDoc;
        const place = placeOf(d.channel, false);
        if (place === undefined) break;
        const session = (await channelOf(place.channelDoc))?.sessions[str(d.session)];
        if (session === undefined || session.deleted !== undefined) break;
        const thread = "parent" in d ? { doc: str(d.parent.doc), message: str(d.parent.message) } : undefined;
        for (const m of Object.values(d.messages) as MessageRecord[]) {
          const c = claimable(m, now, options.leaseMs);
          if (c === undefined) continue;
          messages.push({
            ...place,
            ...modelOf(m, session.model, chosen),
            session: str(session.id),
            doc: id,
            message: str(m.id),
            ...(thread === undefined ? {} : { thread }),
            takeOver: c.takeOver,
            createdAt: m.createdAt,
          });
        }
        break;
      }
      case "task":
        taskDocs.add(id);
        break;
      case "channel":
        // A channel's change may be a task's deletion that its task document does not show yet.
        for (const entry of Object.values((doc as ChannelDoc).tasks)) if (entry.purged === undefined) taskDocs.add(str(entry.doc));
        break;
    }
  }

  for (const id of taskDocs) {
    const task = await tryFind<TaskDoc>(store, id);
    if (task === undefined) continue;
    const place = placeOf(task.channel, true);
    if (place === undefined) continue;
    const entry = (await channelOf(place.channelDoc))?.tasks[str(task.id)];
    if (entry === undefined || entry.purged !== undefined) continue;
    const revision = taskRevision(task);
    if (task.applied?.revision !== revision) out.tasks.push({ ...place, taskDoc: id, revision, deleted: task.deleted !== undefined });
    if (task.deleted !== undefined || entry.deleted !== undefined || placeOf(task.channel, false) === undefined) continue;
    for (const r of Object.values(task.runRequests)) {
      if (r.consumed === undefined) out.runRequests.push({ ...place, taskDoc: id, request: str(r.id), at: r.at });
    }
  }
  out.messages = messages.sort((a, b) => a.createdAt - b.createdAt).map(({ createdAt: _c, ...p }) => p);
  out.runRequests.sort((a, b) => a.at - b.at);
  return out;
}
