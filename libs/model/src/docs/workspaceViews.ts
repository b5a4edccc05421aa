import { getHeads, isCounter } from "@automerge/automerge";
import type { ChannelDoc, SessionEntry, TaskEntry } from "./ChannelDoc.js";
import { type Plain, str, toPlain } from "./Imm.js";
import { readUpToOf } from "./readState.js";
import type { DocumentId, JobId, TaskId } from "./ids.js";
import { taskSessionId } from "./taskSessionId.js";
import type { JobLogDoc, JobRecord } from "./JobLogDoc.js";
import type { ChannelEntry, GatewayEntry, RootDoc } from "./RootDoc.js";
import type { TaskDoc } from "./TaskDoc.js";

/** A channel of the sidebar. */
export type ChannelView = Plain<ChannelEntry>;
/** A gateway as published. */
export type GatewayView = Plain<GatewayEntry>;
/** A session tab: its page documents in order, the last one first to load. */
export interface SessionView extends Omit<Plain<SessionEntry>, "pages"> {
  pages: DocumentId[];
  lastPage: DocumentId;
  /** The task whose runs this session holds ({@link taskSessionId}); such a session opens from the task's jobs. */
  task?: TaskId;
}
/** A task of a channel, with its job logs newest month first. */
export interface TaskEntryView extends Omit<Plain<TaskEntry>, "jobLogs"> {
  jobLogs: { month: string; doc: DocumentId }[];
}
/** A task document as a UI shows it. */
export interface TaskView extends Omit<Plain<TaskDoc>, "revision" | "runRequests" | "type" | "schema"> {
  revision: number;
  /** Whether the gateway has not applied the latest revision yet. */
  pendingApply: boolean;
  /** Run-now requests not consumed yet. */
  pendingRuns: number;
  /** The document's Automerge heads: an editor keeps them as `editTask`'s `base`. */
  heads: string[];
}
/** A job as the history shows it. */
export type JobView = Plain<JobRecord>;

const byOrderThenId = (a: { order: number; id: string }, b: { order: number; id: string }): number => a.order - b.order || cmp(a.id, b.id);
const byCreatedThenId = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number => a.createdAt - b.createdAt || cmp(a.id, b.id);

/** The channels of the sidebar in order (by `order`, then id); deleted ones left out. */
export function channelsOf(root: RootDoc, options: { archived?: boolean } = {}): ChannelView[] {
  return Object.values(root.channels)
    .filter((c) => c.deleted === undefined && ((options.archived ?? true) ? true : !c.archived))
    .map((c) => toPlain(c))
    .sort(byOrderThenId);
}

/** The gateways that published themselves, by name. */
export function gatewaysOf(root: RootDoc): GatewayView[] {
  return Object.values(root.gateways)
    .map((g) => toPlain(g))
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
}

/** The sessions of a channel in order (created, then id); deleted ones left out. */
export function sessionsOf(channel: ChannelDoc, options: { archived?: boolean } = {}): SessionView[] {
  const taskOf = new Map<string, TaskId>(Object.values(channel.tasks).map((t) => [taskSessionId(str(t.id)), str(t.id)]));
  return Object.values(channel.sessions)
    .filter((s) => s.deleted === undefined && ((options.archived ?? true) ? true : !s.archived))
    .map((s) => {
      const { pages: _pages, ...rest } = toPlain(s);
      const pages = pagesOf(s);
      const task = taskOf.get(rest.id);
      const readUpTo = readUpToOf(s);
      return { ...rest, pages, lastPage: pages[pages.length - 1]!, ...(task === undefined ? {} : { task }), ...(readUpTo === undefined ? {} : { readUpTo }) };
    })
    .sort(byCreatedThenId);
}

/** A session's page documents by page number. */
export function pagesOf(session: SessionEntry): DocumentId[] {
  return Object.entries(session.pages)
    .map(([n, id]) => [Number(n), str(id)] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, id]) => id);
}

/** The tasks of a channel (created, then id); deleted ones left out. */
export function tasksOf(channel: ChannelDoc): TaskEntryView[] {
  return Object.values(channel.tasks)
    .filter((t) => t.deleted === undefined)
    .map((t) => {
      const { jobLogs: _logs, ...rest } = toPlain(t);
      const jobLogs = Object.entries(t.jobLogs)
        .map(([month, doc]) => ({ month, doc: str(doc) }))
        .sort((a, b) => cmp(b.month, a.month));
      return { ...rest, jobLogs };
    })
    .sort(byCreatedThenId);
}

/** The revision a task document is at. */
export function taskRevision(task: TaskDoc): number {
  return isCounter(task.revision) ? task.revision.value : Number(task.revision);
}

/** A task document as a UI shows it. `task` is the document itself (a handle's `doc()`), for its heads. */
export function taskView(task: TaskDoc): TaskView {
  const { revision: _r, runRequests, type: _t, schema: _s, ...rest } = task;
  const revision = taskRevision(task);
  return {
    ...toPlain(rest),
    revision,
    pendingApply: task.applied?.revision !== revision,
    pendingRuns: Object.values(runRequests).filter((r) => r.consumed === undefined).length,
    heads: getHeads(task),
  };
}

/** The latest jobs across job logs, newest first (by start, then id), at most `limit`. */
export function latestJobs(logs: readonly JobLogDoc[], limit = 50): JobView[] {
  const jobs: JobRecord[] = logs.flatMap((log) => Object.values(log.jobs));
  return jobs
    .sort((a, b) => b.startedAt - a.startedAt || cmp(str(b.id) as JobId, str(a.id) as JobId))
    .slice(0, limit)
    .map((j) => toPlain(j));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
