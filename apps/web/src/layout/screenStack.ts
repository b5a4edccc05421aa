import type { Route } from "./route.js";

/** The screens of the phone's stack, named as the app's root element says which one is shown. */
export type Screen = "channels" | "chat" | "thread" | "tasks" | "task" | "settings";

/** The screen a route shows on a phone. */
export function screenOf(r: Route): Screen {
  if (r.kind === "new-task") return "task";
  // The guide takes the chat's place.
  if (r.kind === "welcome") return "chat";
  return r.kind;
}

/**
 * The screen under a route's, where Back goes: channels ← chat ← thread, chat ← tasks ← task, and
 * channels ← settings, channels ← the guide. The channel list has none.
 */
export function parentRoute(r: Route): Route | undefined {
  const channel = r.channel === undefined ? {} : { channel: r.channel };
  switch (r.kind) {
    case "channels":
      return undefined;
    case "chat":
    case "settings":
    case "welcome":
      return { kind: "channels" };
    case "thread":
    case "tasks":
      return { kind: "chat", ...channel };
    case "task":
    case "new-task":
      return { kind: "tasks", ...channel };
  }
}

/** The routes from the channel list down to `r`, `r` last. */
export function stackOf(r: Route): Route[] {
  const parent = parentRoute(r);
  return parent === undefined ? [r] : [...stackOf(parent), r];
}

/** How deep a route's screen is in the stack (the channel list is 0). */
export function depthOf(r: Route): number {
  return stackOf(r).length - 1;
}
