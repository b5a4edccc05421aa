import { describe, expect, it } from "vitest";
import { isTasksRoute, parseRoute, type Route, routeHash } from "./route.js";

describe("route", () => {
  it("reads and writes the address of every screen", () => {
    const routes: Route[] = [
      { kind: "channels" },
      { kind: "chat", channel: "c1" },
      { kind: "thread", channel: "c1", pageDoc: "2pXk7" as never, message: "m 1/2" },
      { kind: "tasks", channel: "c1" },
      { kind: "new-task", channel: "c1" },
      { kind: "task", channel: "c1", doc: "3fTkq9" as never },
      { kind: "settings" },
      { kind: "welcome" },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(routeHash({ kind: "channels" })).toBe("#/");
    expect(routeHash({ kind: "settings", channel: "c1" })).toBe("#/settings");
    expect(routeHash({ kind: "welcome", channel: "c1" })).toBe("#/welcome");
    expect(routeHash({ kind: "chat", channel: "c1" })).toBe("#/c1");
    expect(routeHash({ kind: "thread", channel: "c1", pageDoc: "p1" as never, message: "m1" })).toBe("#/c1/thread/p1/m1");
  });

  it("anything else is the chat, and a chat whose channel is not known has no address of its own", () => {
    expect(parseRoute("")).toEqual({ kind: "chat" });
    expect(parseRoute("#/c1/other")).toEqual({ kind: "chat" });
    expect(parseRoute("#/c1/thread/p1")).toEqual({ kind: "chat" });
    expect(routeHash({ kind: "chat" })).toBe("");
  });

  it("tells the tasks screens apart", () => {
    expect(isTasksRoute({ kind: "tasks" })).toBe(true);
    expect(isTasksRoute({ kind: "task", doc: "d" as never })).toBe(true);
    expect(isTasksRoute({ kind: "new-task" })).toBe(true);
    expect(isTasksRoute({ kind: "thread", pageDoc: "p" as never, message: "m" })).toBe(false);
    expect(isTasksRoute({ kind: "chat" })).toBe(false);
  });
});
