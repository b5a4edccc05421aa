import type { DocumentId, GatewayView } from "@botschat/model";
import { createEffect, createSignal, type JSX, Match, on, onCleanup, Switch } from "solid-js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { TasksView } from "../shared/views.js";
import { TaskList } from "./TaskList.js";
import { type CachedTaskPage, TaskPage } from "./TaskPage.js";

const NEW = "new";

/** Where in a channel's tasks a person is: the list, one task, or a new one. */
export type TasksRoute = { kind: "tasks" } | { kind: "task"; doc: DocumentId } | { kind: "new-task" };

/**
 * A channel's Background Tasks: the list, a task's page, a new task. Loaded on first use (it
 * brings the schedule parsing and description libraries the chat does not need).
 */
export default function TasksScreen(props: {
  route: TasksRoute;
  channelDoc: DocumentId;
  tasks: TasksView | undefined;
  agentName: string;
  gateway: GatewayView | undefined;
  gatewayOnline: boolean;
  /** Goes to a route; `replace` puts it in place of the current history entry. */
  onRoute: (r: TasksRoute, replace?: boolean) => void;
  /** The task page last cached on this device. */
  cached?: CachedTaskPage | undefined;
  /** A task page as shown, whenever it changes (for the warm-start cache). */
  onShown?: (shown: CachedTaskPage) => void;
}): JSX.Element {
  const ctx = useWorkspace();
  // Next runs, durations of running jobs and "ago" stay true as time passes.
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  // One page per task (a new task's page gives way to the saved task's own).
  const pageKey = (): string | undefined => (props.route.kind === "task" ? props.route.doc : props.route.kind === "new-task" ? NEW : undefined);
  onCleanup(() => clearInterval(timer));
  // Each screen starts at its top (a saved new task's page, too).
  let screen!: HTMLDivElement;
  createEffect(
    on(
      () => JSON.stringify(props.route),
      () => screen.scrollTo({ top: 0 }),
      { defer: true },
    ),
  );
  return (
    <div class="tasks-screen" ref={(el) => (screen = el)}>
      <Switch>
        <Match when={props.route.kind === "tasks"}>
          <TaskList
            view={props.tasks}
            agentName={props.agentName}
            gatewayOnline={props.gatewayOnline}
            now={now()}
            onOpen={(t) => props.onRoute({ kind: "task", doc: t.doc })}
            onNew={() => props.onRoute({ kind: "new-task" })}
            onEnable={async (t, on) => {
              const r = await ctx.ws.api.setTaskEnabled({ taskDoc: t.doc, enabled: on });
              if (!r.ok) ctx.notify(r.message);
              return r.ok;
            }}
          />
        </Match>
        <Match when={pageKey()} keyed>
          {(key) => (
            <TaskPage
              channelDoc={props.channelDoc}
              taskDoc={key === NEW ? undefined : (key as DocumentId)}
              gateway={props.gateway}
              gatewayOnline={props.gatewayOnline}
              now={now()}
              onBack={() => props.onRoute({ kind: "tasks" })}
              onCreated={(doc) => props.onRoute({ kind: "task", doc }, true)}
              cached={props.cached}
              {...(props.onShown ? { onShown: props.onShown } : {})}
            />
          )}
        </Match>
      </Switch>
    </div>
  );
}
