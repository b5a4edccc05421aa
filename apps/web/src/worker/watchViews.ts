import {
  type ChannelDoc,
  channelsOf,
  commandUseOf,
  defaultModelsOf,
  guideOf,
  type DocumentId,
  gatewaysOf,
  type JobLogDoc,
  type JobRecord,
  type PageDoc,
  ROOT_DOC_ID,
  type RootDoc,
  sessionsOf,
  sortedMessages,
  str,
  type TaskDoc,
  tasksOf,
  taskView,
  toPlain,
} from "@botschat/model";
import type { JobRow, JobsView, TaskSummary, WatchTarget, WatchUpdate } from "../shared/views.js";
import type { DocReader } from "./ViewWatch.js";
import { unreadView } from "./unreadView.js";

/** What a watch computes from the documents it reads, and whether it may show a part before all of them are loaded. */
export interface WatchView {
  compute(read: DocReader): WatchUpdate | undefined;
  partial?: boolean;
}

/** The view each kind of watch shows. */
export function watchView(target: WatchTarget): WatchView {
  switch (target.kind) {
    case "root":
      return {
        compute: (read) => {
          const root = read.doc<RootDoc>(ROOT_DOC_ID);
          if (root === undefined) return read.loading ? undefined : { kind: "root", root: { channels: [], gateways: [], commands: [] } };
          return {
            kind: "root",
            root: {
              channels: channelsOf(root),
              gateways: gatewaysOf(root),
              commands: commandUseOf(root),
              defaultModels: defaultModelsOf(root),
              guide: guideOf(root),
            },
          };
        },
      };
    case "channel":
      return {
        compute: (read) => {
          const channel = read.doc<ChannelDoc>(target.doc);
          if (channel === undefined) return read.loading ? undefined : { kind: "channel", channel: { doc: target.doc, sessions: [], missing: true } };
          // Archived sessions too: the UI shows the open ones as tabs and the closed ones in a menu.
          return { kind: "channel", channel: { doc: target.doc, sessions: sessionsOf(channel) } };
        },
      };
    case "messages":
      return {
        compute: (read) => {
          const page = read.doc<PageDoc>(target.doc);
          if (page === undefined) return read.loading ? undefined : { kind: "messages", view: { doc: target.doc, messages: [], present: false } };
          return { kind: "messages", view: { doc: target.doc, messages: sortedMessages(page), present: true } };
        },
      };
    case "tasks":
      // Tasks show at once; each one's last job fills in as its log loads.
      return { compute: (read) => tasksList(read, target.channelDoc), partial: true };
    case "task":
      return {
        compute: (read) => {
          const task = read.doc<TaskDoc>(target.doc);
          if (task === undefined && read.loading) return undefined;
          return { kind: "task", view: { doc: target.doc, ...(task === undefined ? {} : { task: taskView(task) }) } };
        },
      };
    case "jobs":
      return {
        compute: (read) => {
          const view = jobsWindow(read, target.taskDoc, target.limit);
          return view === undefined ? undefined : { kind: "jobs", view };
        },
      };
    case "unread":
      // Sessions show as their pages load: a workspace with many sessions does not wait for all of them.
      return {
        compute: (read) => {
          const view = unreadView(read);
          return view === undefined ? undefined : { kind: "unread", view };
        },
        partial: true,
      };
    case "job":
      return {
        compute: (read) => {
          const log = read.doc<JobLogDoc>(target.doc);
          if (log === undefined && read.loading) return undefined;
          const job = log?.jobs[target.job];
          return { kind: "job", view: { doc: target.doc, ...(job === undefined ? {} : { job: toPlain(job) }) } };
        },
      };
  }
}

function tasksList(read: DocReader, channelDoc: DocumentId): WatchUpdate | undefined {
  const channel = read.doc<ChannelDoc>(channelDoc);
  if (channel === undefined) return read.loading ? undefined : { kind: "tasks", view: { channelDoc, tasks: [], missing: true } };
  const entries = tasksOf(channel);
  const docs = entries.map((e) => read.doc<TaskDoc>(e.doc));
  // The tasks themselves come together: a list that grows row by row would jump.
  if (read.loading) return undefined;
  const tasks = entries.map((e, i): TaskSummary => {
    const doc = docs[i];
    const summary: TaskSummary = { id: e.id, doc: e.doc, createdAt: e.createdAt };
    if (doc !== undefined) summary.task = taskView(doc);
    // The newest month with a job in it (a month may hold only claims).
    for (const { doc: logDoc } of e.jobLogs) {
      const log = read.doc<JobLogDoc>(logDoc);
      if (log === undefined) break;
      const newest = newestJobs(log, 1)[0];
      if (newest === undefined) continue;
      summary.lastJob = jobRow(newest, logDoc);
      break;
    }
    return summary;
  });
  return { kind: "tasks", view: { channelDoc, tasks } };
}

/**
 * The newest `limit` jobs of a task. Months are read newest first and only until the window is
 * full, so a task with years of history reads one or two logs to show its latest jobs.
 */
function jobsWindow(read: DocReader, taskDoc: DocumentId, limit: number): JobsView | undefined {
  const none: JobsView = { taskDoc, jobs: [], more: false, loading: false };
  const task = read.doc<TaskDoc>(taskDoc);
  const channel = task === undefined ? undefined : read.doc<ChannelDoc>(str(task.channelDoc));
  if (channel === undefined) return read.loading ? undefined : none;
  const entry = tasksOf(channel).find((t) => t.id === str(task!.id));
  const months = entry?.jobLogs ?? [];
  const rows: JobRow[] = [];
  let next = 0;
  while (next < months.length && rows.length < limit) {
    const { doc } = months[next]!;
    const log = read.doc<JobLogDoc>(doc);
    // Still loading: the window is computed again when it is here.
    if (log === undefined && read.loading) return undefined;
    next += 1;
    // One more than the window needs tells whether older jobs exist.
    if (log !== undefined) rows.push(...newestJobs(log, limit - rows.length + 1).map((j) => jobRow(j, doc)));
  }
  const more = next < months.length || rows.length > limit;
  return { taskDoc, jobs: rows.slice(0, limit), more, loading: false };
}

/** A log's newest jobs (by start, then id), at most `limit`. Months hold hundreds: only the window is copied out. */
function newestJobs(log: JobLogDoc, limit: number): JobRecord[] {
  const all = Object.values(log.jobs);
  all.sort((a, b) => b.startedAt - a.startedAt || (str(b.id) < str(a.id) ? -1 : str(b.id) > str(a.id) ? 1 : 0));
  return all.slice(0, limit);
}

function jobRow(job: JobRecord, doc: DocumentId): JobRow {
  const { output, ...rest } = toPlain(job);
  return { ...rest, doc, hasOutput: output !== undefined && output.length > 0 };
}
