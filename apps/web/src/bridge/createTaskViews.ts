import type { DocumentId, JobId } from "@botschat/model";
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";
import type { JobDetailView, JobStreamView, JobsView, TaskPageView, TasksView, WatchTarget, WatchUpdate } from "../shared/views.js";
import type { WorkspaceClient } from "./WorkspaceClient.js";

/**
 * Follows a watch whose target may change (or be undefined: nothing watched): each target is
 * watched in turn, its pushes handed to `onUpdate`, and `reset` runs whenever it changes.
 */
function followWatch(ws: WorkspaceClient, target: Accessor<WatchTarget | undefined>, onUpdate: (u: WatchUpdate) => void, reset: () => void): void {
  const key = (): string => JSON.stringify(target() ?? null);
  createEffect(
    on(key, () => {
      reset();
      const t = target();
      if (t === undefined) return;
      onCleanup(ws.watch(t, onUpdate));
    }),
  );
}

/** One view of a watch that may change target: `pick` takes what it shows from the watch's pushes. */
function createWatchedView<V>(
  ws: WorkspaceClient,
  target: Accessor<WatchTarget | undefined>,
  pick: (u: WatchUpdate) => V | undefined,
  /** Shown from each (re)start until the first push (a cached view of the same target). */
  initial: () => V | undefined = () => undefined,
): Accessor<V | undefined> {
  const [view, setView] = createSignal<V>();
  followWatch(
    ws,
    target,
    (u) => {
      const v = pick(u);
      if (v !== undefined) setView(() => v);
    },
    () => setView(() => initial()),
  );
  return view;
}

/** A channel's tasks, each with its newest job, live. */
export function createTasksView(ws: WorkspaceClient, channelDoc: Accessor<DocumentId | undefined>): Accessor<TasksView | undefined> {
  return createWatchedView(
    ws,
    () => {
      const d = channelDoc();
      return d === undefined ? undefined : { kind: "tasks", channelDoc: d };
    },
    (u) => (u.kind === "tasks" ? u.view : undefined),
  );
}

/** One task document, live; a cached `initial` view of the same document is shown until the live one comes. */
export function createTaskView(ws: WorkspaceClient, doc: Accessor<DocumentId | undefined>, initial?: TaskPageView): Accessor<TaskPageView | undefined> {
  return createWatchedView(
    ws,
    () => {
      const d = doc();
      return d === undefined ? undefined : { kind: "task", doc: d };
    },
    (u) => (u.kind === "task" ? u.view : undefined),
    () => (initial !== undefined && initial.doc === doc() ? initial : undefined),
  );
}

/** A task's newest jobs, in a window that grows with `limit`, and the output of its running jobs. */
export function createJobsView(
  ws: WorkspaceClient,
  input: Accessor<{ taskDoc: DocumentId; limit: number } | undefined>,
  /** A cached window, shown until the live one comes (when it is of the same task). */
  initial?: JobsView,
): { view: Accessor<JobsView | undefined>; streams: Accessor<ReadonlyMap<JobId, JobStreamView>> } {
  const [view, setView] = createSignal<JobsView>();
  const [streams, setStreams] = createSignal<ReadonlyMap<JobId, JobStreamView>>(new Map());
  const task = (): DocumentId | undefined => input()?.taskDoc;
  // Another window of the same task keeps what it shows until the wider one arrives.
  createEffect(
    on(task, (t) => {
      setView(initial !== undefined && initial.taskDoc === t ? initial : undefined);
      setStreams(new Map());
    }),
  );
  followWatch(
    ws,
    () => {
      const i = input();
      return i === undefined ? undefined : { kind: "jobs", ...i };
    },
    (u) => {
      if (u.kind === "jobs") setView(u.view);
      else if (u.kind === "job-stream") setStreams((prev) => new Map(prev).set(u.stream.job, u.stream));
    },
    () => undefined,
  );
  return { view, streams };
}

/** One job, whole, and its output while it runs. */
export function createJobView(
  ws: WorkspaceClient,
  input: Accessor<{ doc: DocumentId; job: JobId } | undefined>,
): { view: Accessor<JobDetailView | undefined>; stream: Accessor<JobStreamView | undefined> } {
  const [view, setView] = createSignal<JobDetailView>();
  const [stream, setStream] = createSignal<JobStreamView>();
  followWatch(
    ws,
    () => {
      const i = input();
      return i === undefined ? undefined : { kind: "job", ...i };
    },
    (u) => {
      if (u.kind === "job") setView(u.view);
      // Streams of the log's other jobs come too: only this one's counts.
      else if (u.kind === "job-stream" && u.stream.job === input()?.job) setStream((prev) => (prev === undefined || prev.seq < u.stream.seq ? u.stream : prev));
    },
    () => (setView(undefined), setStream(undefined)),
  );
  return { view, stream };
}
