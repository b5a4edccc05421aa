import { describe, expect, it } from "vitest";
import { parseRoute, type Route, routeHash } from "./route.js";

describe("route", () => {
  it("reads and writes the tasks screens' addresses, and anything else is the chat", () => {
    const routes: Route[] = [
      { kind: "tasks", channel: "c1" },
      { kind: "new-task", channel: "c1" },
      { kind: "task", channel: "c1", doc: "3fTkq9" as never },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(routeHash({ kind: "chat", channel: "c1" })).toBe("");
    expect(parseRoute("")).toEqual({ kind: "chat" });
    expect(parseRoute("#/c1/other")).toEqual({ kind: "chat" });
  });
});
