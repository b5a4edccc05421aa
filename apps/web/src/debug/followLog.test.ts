import type { SyncLogEntry } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { afterScroll, atBottom, FOLLOWING, unseenCount } from "./followLog.js";

const lines: SyncLogEntry[] = Array.from({ length: 5 }, (_, i) => ({ ts: i, cat: "WST", msg: `← ack ${i}` }));

describe("following new lines", () => {
  it("counts a position within a few pixels of the end as the bottom", () => {
    expect(atBottom({ scrollTop: 600, scrollHeight: 800, clientHeight: 200 })).toBe(true);
    expect(atBottom({ scrollTop: 590.5, scrollHeight: 800, clientHeight: 200 })).toBe(true);
    expect(atBottom({ scrollTop: 300, scrollHeight: 800, clientHeight: 200 })).toBe(false);
  });

  it("follows until the reader scrolls up, then counts the lines that arrive", () => {
    expect(unseenCount(FOLLOWING, lines)).toBe(0);
    const up = afterScroll(FOLLOWING, false, lines[2]);
    expect(up).toEqual({ following: false, seenUpTo: lines[2] });
    expect(unseenCount(up, lines.slice(0, 3))).toBe(0);
    expect(unseenCount(up, lines)).toBe(2);
    // Scrolling further up keeps the first mark: what arrived since the reader left the bottom.
    expect(afterScroll(up, false, lines[4])).toBe(up);
  });

  it("follows again once the reader is back at the bottom", () => {
    const up = afterScroll(FOLLOWING, false, lines[0]);
    expect(afterScroll(up, true, lines[4])).toEqual(FOLLOWING);
  });

  it("counts every line shown when the one seen last has left the bounded log", () => {
    const up = afterScroll(FOLLOWING, false, lines[0]);
    expect(unseenCount(up, lines.slice(1))).toBe(4);
  });
});
