import type { LogCategory, SyncLogEntry } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { filterLogLines, LOG_CATEGORIES, linesAfter, pressFilter } from "./filterLogLines.js";

const line = (cat: LogCategory, msg: string): SyncLogEntry => ({ ts: 1, cat, msg });
const lines = [line("WS", "connecting to ws://relay/api/sync"), line("WST", "→ hello"), line("WRN", "socket closed: 1006"), line("API", "GET /api/me 200")];
const all = new Set(LOG_CATEGORIES);

describe("filterLogLines", () => {
  it("shows every line with every category on and no text", () => {
    expect(filterLogLines(lines, all, "")).toBe(lines);
  });

  it("hides the categories switched off", () => {
    const noTraffic = pressFilter(all, "WST");
    expect(filterLogLines(lines, noTraffic, "").map((l) => l.cat)).toEqual(["WS", "WRN", "API"]);
    expect(filterLogLines(lines, pressFilter(noTraffic, "WST"), "")).toEqual(lines);
  });

  it("matches text in the message, in any case, or a category typed out", () => {
    expect(filterLogLines(lines, all, "SOCKET").map((l) => l.msg)).toEqual(["socket closed: 1006"]);
    expect(filterLogLines(lines, all, " wrn ").map((l) => l.cat)).toEqual(["WRN"]);
    expect(filterLogLines(lines, pressFilter(all, "WRN"), "socket")).toEqual([]);
  });
});

describe("pressFilter", () => {
  it("ALL switches every category on; Shift+click shows only the one pressed", () => {
    expect([...pressFilter(new Set(["ERR"] as LogCategory[]), "ALL")]).toEqual(LOG_CATEGORIES);
    expect([...pressFilter(all, "ERR", true)]).toEqual(["ERR"]);
  });
});

describe("linesAfter", () => {
  it("gives the lines after a marker, or all of them without one", () => {
    expect(linesAfter(lines, lines[1])).toEqual(lines.slice(2));
    expect(linesAfter(lines, lines.at(-1))).toEqual([]);
    expect(linesAfter(lines, undefined)).toBe(lines);
  });

  it("gives every line when the marker fell off the front of the bounded log", () => {
    expect(linesAfter(lines.slice(2), lines[0])).toEqual(lines.slice(2));
  });
});
