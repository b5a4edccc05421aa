import type { DocumentId } from "@botschat/model";
import type { TasksRoute } from "../tasks/TasksScreen.js";

/** A message's thread: the page document the message is on, and the message. */
export type ThreadRoute = { kind: "thread"; pageDoc: DocumentId; message: string };

/**
 * What the app shows: the channel list (a screen of its own on a phone), the chat of a channel, a
 * message's thread beside (on a phone: over) that chat, the channel's tasks, or the settings.
 */
export type Route = ({ kind: "channels" } | { kind: "chat" } | ThreadRoute | TasksRoute | { kind: "settings" } | { kind: "welcome" }) & { channel?: string };

/** The settings page's address (channel ids are hex, so no channel has it). */
const SETTINGS_HASH = "#/settings";
/** The first-run guide's address. */
const WELCOME_HASH = "#/welcome";

/** Whether a route is one of the Background Tasks screens. */
export function isTasksRoute(r: Route): r is TasksRoute & { channel?: string } {
  return r.kind === "tasks" || r.kind === "task" || r.kind === "new-task";
}

/**
 * The route in the page's address, so a reload stays where it was and Back goes back: `#/` the
 * channel list, `#/<channel>` its chat, `#/<channel>/thread/<page document>/<message>` a thread,
 * `#/<channel>/tasks`, `#/<channel>/tasks/new`, `#/<channel>/tasks/<task document>`, `#/settings`,
 * `#/welcome` the first-run guide; anything else is the chat (of the channel last used).
 */
export function parseRoute(hash: string): Route {
  if (hash === "#/") return { kind: "channels" };
  if (hash === SETTINGS_HASH) return { kind: "settings" };
  if (hash === WELCOME_HASH) return { kind: "welcome" };
  const parts = /^#\/([^/]+)(\/.*)?$/.exec(hash);
  if (parts === null) return { kind: "chat" };
  const channel = decodeURIComponent(parts[1]!);
  const rest = parts[2] ?? "";
  if (rest === "") return { kind: "chat", channel };
  const thread = /^\/thread\/([^/]+)\/([^/]+)$/.exec(rest);
  if (thread !== null) return { kind: "thread", pageDoc: decodeURIComponent(thread[1]!) as DocumentId, message: decodeURIComponent(thread[2]!), channel };
  const tasks = /^\/tasks(?:\/([^/]+))?$/.exec(rest);
  if (tasks === null) return { kind: "chat" };
  if (tasks[1] === undefined) return { kind: "tasks", channel };
  if (tasks[1] === "new") return { kind: "new-task", channel };
  return { kind: "task", doc: decodeURIComponent(tasks[1]) as DocumentId, channel };
}

/** The address of a route (a chat or thread whose channel is not known yet has none: the page's own). */
export function routeHash(r: Route): string {
  if (r.kind === "channels") return "#/";
  if (r.kind === "settings") return SETTINGS_HASH;
  if (r.kind === "welcome") return WELCOME_HASH;
  if (r.channel === undefined) return "";
  const chat = `#/${encodeURIComponent(r.channel)}`;
  if (r.kind === "chat") return chat;
  if (r.kind === "thread") return `${chat}/thread/${encodeURIComponent(r.pageDoc)}/${encodeURIComponent(r.message)}`;
  const base = `${chat}/tasks`;
  if (r.kind === "tasks") return base;
  return r.kind === "new-task" ? `${base}/new` : `${base}/${encodeURIComponent(r.doc)}`;
}
