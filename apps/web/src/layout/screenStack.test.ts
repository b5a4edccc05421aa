import { describe, expect, it } from "vitest";
import type { Route } from "./route.js";
import { depthOf, parentRoute, screenOf, stackOf } from "./screenStack.js";

const thread: Route = { kind: "thread", channel: "c1", pageDoc: "p1" as never, message: "m1" };
const task: Route = { kind: "task", channel: "c1", doc: "t1" as never };

describe("screen stack", () => {
  it("channels → chat → thread", () => {
    expect(stackOf(thread)).toEqual([{ kind: "channels" }, { kind: "chat", channel: "c1" }, thread]);
    expect(parentRoute({ kind: "channels" })).toBeUndefined();
    expect(depthOf(thread)).toBe(2);
  });

  it("chat → tasks → task, a new task's form too", () => {
    expect(stackOf(task)).toEqual([{ kind: "channels" }, { kind: "chat", channel: "c1" }, { kind: "tasks", channel: "c1" }, task]);
    expect(parentRoute({ kind: "new-task", channel: "c1" })).toEqual({ kind: "tasks", channel: "c1" });
    expect(depthOf({ kind: "tasks", channel: "c1" })).toBe(2);
  });

  it("channels → settings", () => {
    expect(stackOf({ kind: "settings", channel: "c1" })).toEqual([{ kind: "channels" }, { kind: "settings", channel: "c1" }]);
    expect(screenOf({ kind: "settings" })).toBe("settings");
    expect(depthOf({ kind: "settings" })).toBe(1);
  });

  it("channels → the guide, shown where the chat is", () => {
    expect(stackOf({ kind: "welcome" })).toEqual([{ kind: "channels" }, { kind: "welcome" }]);
    expect(screenOf({ kind: "welcome" })).toBe("chat");
  });

  it("a chat whose channel is not known yet still has the channels above it", () => {
    expect(stackOf({ kind: "chat" })).toEqual([{ kind: "channels" }, { kind: "chat" }]);
  });

  it("names each route's screen", () => {
    expect([{ kind: "channels" }, { kind: "chat" }, thread, { kind: "tasks" }, task, { kind: "new-task" }].map((r) => screenOf(r as Route))).toEqual([
      "channels",
      "chat",
      "thread",
      "tasks",
      "task",
      "task",
    ]);
  });
});
