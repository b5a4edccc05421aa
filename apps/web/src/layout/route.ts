import type { DocumentId } from "@botschat/model";
import type { TasksRoute } from "../tasks/TasksScreen.js";

/** What the main area shows: the chat of a channel, or its tasks. */
export type Route = ({ kind: "chat" } | TasksRoute) & { channel?: string };

/**
 * The route in the page's address, so a reload stays where it was and Back goes back:
 * `#/<channel>/tasks`, `#/<channel>/tasks/new`, `#/<channel>/tasks/<task document>`; anything
 * else is the chat (of the channel last used).
 */
export function parseRoute(hash: string): Route {
  const m = /^#\/([^/]+)\/tasks(?:\/([^/]+))?$/.exec(hash);
  if (m === null) return { kind: "chat" };
  const channel = decodeURIComponent(m[1]!);
  if (m[2] === undefined) return { kind: "tasks", channel };
  if (m[2] === "new") return { kind: "new-task", channel };
  return { kind: "task", doc: decodeURIComponent(m[2]) as DocumentId, channel };
}

/** The address of a route (the chat has none: the page's own). */
export function routeHash(r: Route): string {
  if (r.kind === "chat" || r.channel === undefined) return "";
  const base = `#/${encodeURIComponent(r.channel)}/tasks`;
  if (r.kind === "tasks") return base;
  return r.kind === "new-task" ? `${base}/new` : `${base}/${encodeURIComponent(r.doc)}`;
}
