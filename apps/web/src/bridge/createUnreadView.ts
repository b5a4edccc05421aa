import { type Accessor, createEffect, createSignal, onCleanup } from "solid-js";
import type { UnreadView } from "../shared/views.js";
import type { WorkspaceClient } from "./WorkspaceClient.js";

/**
 * What is unread across the workspace, live; undefined until the worker has answered once. It
 * reads the last page of every session, so it starts once `wanted` holds (a moment after the
 * first screen, whose documents go first).
 */
export function createUnreadView(ws: WorkspaceClient, wanted: Accessor<boolean> = () => true): Accessor<UnreadView | undefined> {
  const [view, setView] = createSignal<UnreadView>();
  createEffect(() => {
    if (!wanted()) return;
    const stop = ws.watch({ kind: "unread" }, (u) => {
      if (u.kind === "unread") setView(u.view);
    });
    onCleanup(stop);
  });
  return view;
}
