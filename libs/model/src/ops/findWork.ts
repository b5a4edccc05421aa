import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { type Imm, str } from "../docs/Imm.js";
import type { AgentId, ChannelId, DocumentId, GatewayId, JobId, MessageId, ModelId, RunId, RunRequestId, SessionId, TaskId } from "../docs/ids.js";
import { type JobLogDoc, JobStatus } from "../docs/JobLogDoc.js";
import { CLAIM_LEASE_MS, winningRun } from "../docs/messageView.js";
import { type MessageRecord, Role } from "../docs/MessageRecord.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { ChannelEntry } from "../docs/RootDoc.js";
import type { TaskDoc } from "../docs/TaskDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { pagesOf, taskRevision } from "../docs/workspaceViews.js";
import { openRoot } from "./openDoc.js";
import { chosenModelOf } from "./settingsOps.js";

/** Where a piece of work sits: the channel and its binding. */
export interface WorkPlace {
  channel: ChannelId;
  channelDoc: DocumentId;
  agentId: AgentId;
}

/** A person's message waiting for an answer. */
export interface PendingMessage extends WorkPlace {
  session: SessionId;
  /** The page or thread document holding the message. */
  doc: DocumentId;
  message: MessageId;
  /** The page and message a thread hangs off, when the message is in a thread. */
  thread?: { doc: DocumentId; message: MessageId };
  /** True when a dead run's claim is being taken over (its lease ran out). */
  takeOver: boolean;
  /**
   * The model asked for: the message's own, else the session's, else the person's default for this
   * gateway (else none: the gateway's own default).
   */
  model?: ModelId;
}

/** A task whose current revision the gateway has not applied. */
export interface TaskToApply extends WorkPlace {
  taskDoc: DocumentId;
  revision: number;
  deleted: boolean;
}

/** A run-now request not consumed yet. */
export interface PendingRunRequest extends WorkPlace {
  taskDoc: DocumentId;
  request: RunRequestId;
  at: number;
}

/** A run of this gateway still marked as working. */
export interface OpenRun {
  doc: DocumentId;
  message: MessageId;
  runId: RunId;
  at: number;
}

/** Options of the queries: the agents to serve (default: all of the gateway's channels), a clock and a lease. */
export interface FindWorkOptions {
  agents?: readonly AgentId[];
  now?: number;
  leaseMs?: number;
}

/**
 * Whether a person's message waits for a run: no run of its current attempt, or a winning run
 * still working whose lease ran out. `takeOver` says which.
 */
export function claimable(message: MessageRecord, now: number, leaseMs = CLAIM_LEASE_MS): { takeOver: boolean } | undefined {
  if (str(message.role) !== Role.user) return undefined;
  const run = winningRun(message);
  if (run === undefined) return { takeOver: false };
  if (str(run.status) === "received" && now - Math.max(run.at, run.renewedAt ?? 0) >= leaseMs) return { takeOver: true };
  return undefined;
}

/**
 * The person's messages that this gateway should answer: in the live sessions of the channels
 * bound to its agents, on every page and in every thread, oldest first. Reads every such
 * document: a peer that follows changes asks {@link findWorkIn} about the changed documents only,
 * and runs this full query on start, when it comes back online, and now and then (a claim whose
 * lease ran out changes no document).
 */
export async function findPendingMessages(store: DocStore, gateway: GatewayId, options: FindWorkOptions = {}): Promise<PendingMessage[]> {
  const now = options.now ?? Date.now();
  const out: (PendingMessage & { createdAt: number })[] = [];
  const chosen = chosenModelOf((await openRoot(store)).doc(), gateway);
  for (const { place, channel } of await boundChannels(store, gateway, options.agents)) {
    for (const session of Object.values(channel.sessions)) {
      if (session.deleted !== undefined) continue;
      for (const pageId of pagesOf(session)) {
        const page = await tryFind<PageDoc>(store, pageId);
        if (page === undefined) continue;
        for (const m of Object.values(page.messages)) {
          const c = claimable(m, now, options.leaseMs);
          if (c !== undefined) {
            out.push({
              ...place,
              ...modelOf(m, session.model, chosen),
              session: str(session.id),
              doc: pageId,
              message: str(m.id),
              takeOver: c.takeOver,
              createdAt: m.createdAt,
            });
          }
          if (m.threadDoc === undefined) continue;
          const threadId = str(m.threadDoc);
          const thread = await tryFind<ThreadDoc>(store, threadId);
          if (thread === undefined) continue;
          for (const t of Object.values(thread.messages)) {
            const tc = claimable(t, now, options.leaseMs);
            if (tc === undefined) continue;
            out.push({
              ...place,
              ...modelOf(t, session.model, chosen),
              session: str(session.id),
              doc: threadId,
              message: str(t.id),
              thread: { doc: pageId, message: str(m.id) },
              takeOver: tc.takeOver,
              createdAt: t.createdAt,
            });
          }
        }
      }
    }
  }
  return out.sort((a, b) => a.createdAt - b.createdAt).map(({ createdAt: _c, ...p }) => p);
}

/**
 * The tasks of this gateway's channels whose revision differs from what it applied, including
 * deleted tasks (and tasks of deleted channels) whose scheduled job must be removed.
 */
export async function findTasksToApply(store: DocStore, gateway: GatewayId, options: FindWorkOptions = {}): Promise<TaskToApply[]> {
  const out: TaskToApply[] = [];
  for (const { place, channel } of await boundChannels(store, gateway, options.agents, true)) {
    for (const entry of Object.values(channel.tasks)) {
      if (entry.purged !== undefined) continue;
      const task = await tryFind<TaskDoc>(store, str(entry.doc));
      if (task === undefined) continue;
      const revision = taskRevision(task);
      if (task.applied?.revision === revision) continue;
      out.push({ ...place, taskDoc: str(entry.doc), revision, deleted: task.deleted !== undefined });
    }
  }
  return out;
}

/** The run-now requests of this gateway's live tasks not consumed yet, oldest first. */
export async function findRunRequests(store: DocStore, gateway: GatewayId, options: FindWorkOptions = {}): Promise<PendingRunRequest[]> {
  const out: PendingRunRequest[] = [];
  for (const { place, channel } of await boundChannels(store, gateway, options.agents)) {
    for (const entry of Object.values(channel.tasks)) {
      if (entry.deleted !== undefined) continue;
      const task = await tryFind<TaskDoc>(store, str(entry.doc));
      if (task === undefined || task.deleted !== undefined) continue;
      for (const r of Object.values(task.runRequests)) {
        if (r.consumed === undefined) out.push({ ...place, taskDoc: str(entry.doc), request: str(r.id), at: r.at });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Runs of this gateway still marked as working that are not among `activeRuns`: after a
 * restart, these were cut off, and should be marked interrupted (`markInterrupted`) so the
 * person can retry, never left spinning.
 *
 * When a second instance of the same gateway may be running, its live runs are not in this
 * instance's `activeRuns`: pass `quietMs` to list only runs without a claim or renewal for that
 * long, and have every instance renew its runs (`renewClaim`) more often than that.
 */
export async function findOpenRuns(
  store: DocStore,
  gateway: GatewayId,
  activeRuns: ReadonlySet<RunId>,
  options: FindWorkOptions & { quietMs?: number } = {},
): Promise<OpenRun[]> {
  const now = options.now ?? Date.now();
  const quietMs = options.quietMs ?? 0;
  const out: OpenRun[] = [];
  const scan = (doc: DocumentId, messages: Record<MessageId, MessageRecord>) => {
    for (const m of Object.values(messages)) {
      for (const run of Object.values(m.runs ?? {})) {
        const runId = str(run.runId);
        const quiet = now - Math.max(run.at, run.renewedAt ?? 0) >= quietMs;
        if (str(run.by) === gateway && str(run.status) === "received" && !activeRuns.has(runId) && quiet) {
          out.push({ doc, message: str(m.id), runId, at: run.at });
        }
      }
    }
  };
  for (const { channel } of await boundChannels(store, gateway, options.agents)) {
    for (const session of Object.values(channel.sessions)) {
      if (session.deleted !== undefined) continue;
      for (const pageId of pagesOf(session)) {
        const page = await tryFind<PageDoc>(store, pageId);
        if (page === undefined) continue;
        scan(pageId, page.messages);
        for (const m of Object.values(page.messages)) {
          if (m.threadDoc === undefined) continue;
          const thread = await tryFind<ThreadDoc>(store, str(m.threadDoc));
          if (thread !== undefined) scan(str(m.threadDoc), thread.messages);
        }
      }
    }
  }
  return out;
}

/** A job of this gateway still marked as running. */
export interface OpenJob {
  /** The job log document. */
  doc: DocumentId;
  job: JobId;
  task: TaskId;
  taskDoc: DocumentId;
  /** The instance that started it, when it said. */
  instance?: string;
  /** Its last sign of life: the later of its start and its last `renewJob`. */
  at: number;
}

/**
 * Jobs of this gateway still marked as running, in the job logs of its channels' tasks (deleted
 * channels' too). After a restart, an instance finishes its own previous life's jobs (its
 * instance id, or none) as interrupted; another instance's only once they are quiet — pass
 * `quietMs` to list only jobs without a start or renewal for that long, and have every instance
 * renew its running jobs (`renewJob`) more often than that.
 */
export async function findOpenJobs(store: DocStore, gateway: GatewayId, options: FindWorkOptions & { quietMs?: number } = {}): Promise<OpenJob[]> {
  const now = options.now ?? Date.now();
  const quietMs = options.quietMs ?? 0;
  const out: OpenJob[] = [];
  for (const { channel } of await boundChannels(store, gateway, options.agents, true)) {
    for (const entry of Object.values(channel.tasks)) {
      if (entry.purged !== undefined) continue;
      for (const logId of Object.values(entry.jobLogs)) {
        const log = await tryFind<JobLogDoc>(store, str(logId));
        if (log === undefined) continue;
        for (const j of Object.values(log.jobs)) {
          if (str(j.status) !== JobStatus.running || str(j.by) !== gateway) continue;
          const at = Math.max(j.startedAt, j.renewedAt ?? 0);
          if (now - at < quietMs) continue;
          const instance = str(j.instance);
          out.push({ doc: str(logId), job: str(j.id), task: str(entry.id), taskDoc: str(entry.doc), ...(instance === undefined ? {} : { instance }), at });
        }
      }
    }
  }
  return out;
}

async function boundChannels(
  store: DocStore,
  gateway: GatewayId,
  agents: readonly AgentId[] | undefined,
  includeDeleted = false,
): Promise<{ place: WorkPlace; channel: ChannelDoc }[]> {
  const root = (await openRoot(store)).doc();
  const out: { place: WorkPlace; channel: ChannelDoc }[] = [];
  for (const entry of Object.values(root.channels) as ChannelEntry[]) {
    if (str(entry.gateway) !== gateway) continue;
    if (agents !== undefined && !agents.includes(str(entry.agentId))) continue;
    if (entry.deleted !== undefined && !includeDeleted) continue;
    const channel = await tryFind<ChannelDoc>(store, str(entry.doc));
    if (channel === undefined) continue;
    out.push({ place: { channel: str(entry.id), channelDoc: str(entry.doc), agentId: str(entry.agentId) }, channel });
  }
  return out;
}

/** The model a pending message asks for: its own, else its session's, else `fallback` (the person's default for the gateway). */
export function modelOf(m: MessageRecord, sessionModel: Imm<ModelId> | undefined, fallback?: ModelId): { model?: ModelId } {
  const model = str(m.model) ?? str(sessionModel) ?? fallback;
  return model === undefined ? {} : { model };
}

/** A document's content, or undefined when it is not on this device (yet) or deleted. */
export async function tryFind<T>(store: DocStore, id: DocumentId): Promise<T | undefined> {
  try {
    return (await store.find<T>(id)).doc();
  } catch {
    return undefined; // not here (yet), or tombstoned
  }
}
