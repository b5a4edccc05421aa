import { describe, expect, it } from "vitest";
import type { Route } from "./route.js";
import { type HistoryLike, type LocationLike, ScreenHistory } from "./screenHistory.js";

/** A browser's history of one tab: entries with their address and state, and the one shown. */
function fakeBrowser(start: string) {
  const entries: { url: string; state: unknown }[] = [{ url: start, state: null }];
  let at = 0;
  const hashOf = (url: string): string => (url.includes("#") ? url.slice(url.indexOf("#")) : "");
  const location: LocationLike = {
    get hash() {
      return hashOf(entries[at]!.url);
    },
    pathname: "/",
    search: "",
  };
  const history: HistoryLike = {
    get state() {
      return entries[at]!.state;
    },
    pushState(state, _unused, url) {
      entries.splice(at + 1, entries.length, { url, state: structuredClone(state) });
      at += 1;
    },
    replaceState(state, _unused, url) {
      entries[at] = { url, state: structuredClone(state) };
    },
    back() {
      if (at > 0) at -= 1;
    },
  };
  return { history, location, urls: () => entries.map((e) => e.url), at: () => at };
}

const chat: Route = { kind: "chat", channel: "c1" };
const thread: Route = { kind: "thread", channel: "c1", pageDoc: "p1" as never, message: "m1" };

describe("screen history", () => {
  it("a start deep in the stack puts the screens above it under it, once", () => {
    const b = fakeBrowser("#/c1/thread/p1/m1");
    const screens = new ScreenHistory(b.history, b.location);
    screens.seed(thread);
    expect(b.urls()).toEqual(["#/", "#/c1", "#/c1/thread/p1/m1"]);
    expect(screens.hasPrevious()).toBe(true);
    expect(screens.previousIs(chat)).toBe(true);
    // A reload keeps the entries it finds.
    screens.seed(thread);
    expect(b.urls()).toHaveLength(3);
    screens.back();
    expect(b.location.hash).toBe("#/c1");
    expect(screens.previousIs({ kind: "channels" })).toBe(true);
    screens.back();
    expect(screens.hasPrevious()).toBe(false);
  });

  it("a plain start on a channel's chat has the channels under it", () => {
    const b = fakeBrowser("/");
    new ScreenHistory(b.history, b.location).seed(chat);
    expect(b.urls()).toEqual(["#/", "#/c1"]);
  });

  it("a pushed screen knows the one before it; replacing keeps that", () => {
    const b = fakeBrowser("/");
    const screens = new ScreenHistory(b.history, b.location);
    expect(screens.hasPrevious()).toBe(false);
    screens.push(chat);
    expect(screens.previousIs({ kind: "chat" })).toBe(true);
    screens.push(thread);
    expect(screens.previousIs(chat)).toBe(true);
    screens.replace({ ...thread, message: "m2" } as Route);
    expect(b.urls()).toEqual(["/", "#/c1", "#/c1/thread/p1/m2"]);
    expect(screens.previousIs(chat)).toBe(true);
    // The address shown already: no second entry.
    screens.push({ ...thread, message: "m2" } as Route);
    expect(b.urls()).toHaveLength(3);
  });

  it("the chat whose channel is not known yet is the page's own address", () => {
    const b = fakeBrowser("#/c1/tasks");
    const screens = new ScreenHistory(b.history, b.location);
    screens.push({ kind: "chat" });
    expect(b.urls()).toEqual(["#/c1/tasks", "/"]);
  });
});
