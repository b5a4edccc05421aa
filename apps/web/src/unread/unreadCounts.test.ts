import type { ChannelId, DocumentId, MessageId, SessionId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import type { SessionUnreadView, UnreadView } from "../shared/views.js";
import { badgeText, freshReplies, unreadCounts, unreadLabel, unreadTitle } from "./unreadCounts.js";

const s = (session: string, channel: string, count: number, latest?: { id: string; at: number }): SessionUnreadView => ({
  channel: channel as ChannelId,
  channelDoc: `doc-${channel}` as DocumentId,
  session: session as SessionId,
  count,
  ...(latest === undefined ? {} : { first: latest.id as MessageId, latest: { id: latest.id as MessageId, text: latest.id, createdAt: latest.at } }),
});
const view = (...sessions: SessionUnreadView[]): UnreadView => ({ sessions });

describe("unread counts", () => {
  it("the title carries the count only when there is one", () => {
    expect(unreadTitle(3)).toBe("(3) BotsChat");
    expect(unreadTitle(0)).toBe("BotsChat");
  });

  it("badges say '3 unread' and stay small", () => {
    expect(unreadLabel(3)).toBe("3 unread");
    expect(badgeText(7)).toBe("7");
    expect(badgeText(120)).toBe("99+");
  });

  it("adds up sessions by channel and in all", () => {
    const c = unreadCounts(
      view(s("a", "c1", 2, { id: "m1", at: 1 }), s("b", "c1", 1, { id: "m2", at: 2 }), s("c", "c2", 0), s("d", "c3", 4, { id: "m3", at: 3 })),
    );
    expect(c.total).toBe(7);
    expect(c.channel("c1")).toBe(3);
    expect(c.channel("c2")).toBe(0);
    expect(c.session("d")?.count).toBe(4);
    expect(c.session("nope")).toBeUndefined();
    expect(unreadCounts(undefined).total).toBe(0);
    // The session on screen is being read: it counts nowhere, but its state is still there.
    const shown = unreadCounts(view(s("a", "c1", 2, { id: "m1", at: 1 }), s("b", "c1", 1, { id: "m2", at: 2 })), "a");
    expect([shown.total, shown.channel("c1"), shown.session("a")?.count]).toEqual([1, 1, 2]);
  });

  it("fresh replies: a new newest unread message in a session already known, never on the first view or a session just loaded", () => {
    const before = view(s("a", "c1", 0), s("b", "c1", 1, { id: "m1", at: 10 }));
    const after = view(s("a", "c1", 1, { id: "m2", at: 20 }), s("b", "c1", 1, { id: "m1", at: 10 }), s("late", "c2", 3, { id: "m9", at: 30 }));
    expect(freshReplies(before, after).map((x) => x.session)).toEqual(["a"]);
    expect(freshReplies(undefined, after)).toEqual([]);
    // Read elsewhere (the count went to 0): nothing to say.
    expect(freshReplies(after, view(s("a", "c1", 0)))).toEqual([]);
  });
});
