import type { ChannelId, DocumentId, MessageId, SessionId } from "@botschat/model";
import { createRoot, createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUnreadView } from "../shared/views.js";
import { createReadTracker, READ_AFTER_MS } from "./readTracker.js";

const unread = (session: string, count: number, first?: string): SessionUnreadView => ({
  channel: "c" as ChannelId,
  channelDoc: "cd" as DocumentId,
  session: session as SessionId,
  count,
  ...(first === undefined ? {} : { first: first as MessageId }),
});

function setup(initial: SessionUnreadView | undefined) {
  const [session, setSession] = createSignal<string | undefined>("s1");
  const [u, setUnread] = createSignal<SessionUnreadView | undefined>(initial);
  const [visible, setVisible] = createSignal(true);
  const [atBottom, setAtBottom] = createSignal(true);
  const markRead = vi.fn();
  let tracker!: ReturnType<typeof createReadTracker>;
  const dispose = createRoot((d) => {
    tracker = createReadTracker({ session, unread: u, visible, atBottom, markRead });
    return d;
  });
  return { tracker, markRead, setSession, setUnread, setVisible, setAtBottom, dispose };
}

describe("the read tracker of the session on screen", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("places the divider at the first unread message when the session opens and keeps it there once read", () => {
    const t = setup(unread("s1", 2, "m5"));
    expect(t.tracker.divider()).toBe("m5");
    vi.advanceTimersByTime(READ_AFTER_MS);
    expect(t.markRead).toHaveBeenCalledWith("s1");
    t.setUnread(unread("s1", 0));
    // The same session again (a new copy of its entry, its read position moved) keeps the divider.
    t.setSession("s1");
    expect(t.tracker.divider()).toBe("m5");
    t.dispose();
  });

  it("marks read only after the newest messages stayed in view a moment, and writes nothing when nothing is unread", () => {
    const t = setup(unread("s1", 0));
    vi.advanceTimersByTime(READ_AFTER_MS * 3);
    expect(t.markRead).not.toHaveBeenCalled();
    t.setAtBottom(false);
    t.setUnread(unread("s1", 1, "m9"));
    vi.advanceTimersByTime(READ_AFTER_MS * 3);
    expect(t.markRead).not.toHaveBeenCalled();
    // Scrolling past the bottom and away again is not reading.
    t.setAtBottom(true);
    vi.advanceTimersByTime(READ_AFTER_MS / 2);
    t.setAtBottom(false);
    vi.advanceTimersByTime(READ_AFTER_MS * 3);
    expect(t.markRead).not.toHaveBeenCalled();
    t.setAtBottom(true);
    vi.advanceTimersByTime(READ_AFTER_MS);
    expect(t.markRead).toHaveBeenCalledTimes(1);
    t.dispose();
  });

  it("does not read while the page is hidden, and shows where the new messages start when it comes back", () => {
    const t = setup(unread("s1", 0));
    expect(t.tracker.divider()).toBeUndefined();
    t.setVisible(false);
    t.setUnread(unread("s1", 1, "m7"));
    vi.advanceTimersByTime(READ_AFTER_MS * 3);
    expect(t.markRead).not.toHaveBeenCalled();
    t.setVisible(true);
    expect(t.tracker.divider()).toBe("m7");
    vi.advanceTimersByTime(READ_AFTER_MS);
    expect(t.markRead).toHaveBeenCalledWith("s1");
    t.dispose();
  });

  it("waits for the session's unread state before marking, and places the divider afresh for another session", () => {
    const t = setup(undefined);
    vi.advanceTimersByTime(READ_AFTER_MS * 3);
    expect(t.markRead).not.toHaveBeenCalled();
    t.setUnread(unread("s1", 1, "m1"));
    expect(t.tracker.divider()).toBe("m1");
    t.setSession("s2");
    t.setUnread(unread("s2", 0));
    expect(t.tracker.divider()).toBeUndefined();
    t.dispose();
  });
});
