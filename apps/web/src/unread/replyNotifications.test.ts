import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { notificationBody, notifyReply, notifySetting, setNotifyReplies } from "./replyNotifications.js";

/** A stand-in for the browser's Notification: records what was shown; the permission is the test's. */
class FakeNotification {
  static permission: NotificationPermission = "default";
  static answer: NotificationPermission = "granted";
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => (FakeNotification.permission = FakeNotification.answer));
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

describe("reply notifications", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeNotification.permission = "default";
    FakeNotification.answer = "granted";
    FakeNotification.shown = [];
    vi.stubGlobal("Notification", FakeNotification);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("are off until the person turns them on and the browser allows them; remembered on this device", async () => {
    expect(notifySetting()).toBe("off");
    expect(notifyReply({ title: "t", text: "x", tag: "m1", onClick: () => undefined })).toBeUndefined();
    expect(await setNotifyReplies(true)).toBe("on");
    expect(FakeNotification.requestPermission).toHaveBeenCalled();
    expect(notifySetting()).toBe("on");
    expect(await setNotifyReplies(false)).toBe("off");
    expect(notifySetting()).toBe("off");
  });

  it("stay off when the browser refuses", async () => {
    FakeNotification.answer = "denied";
    expect(await setNotifyReplies(true)).toBe("denied");
    expect(notifySetting()).toBe("denied");
  });

  it("show the reply on one line, tagged by message; a click focuses the session and closes it", async () => {
    await setNotifyReplies(true);
    const onClick = vi.fn();
    notifyReply({ title: "Demo agent in #demo", text: "You said:\n\n  hello", tag: "m1", onClick });
    const [n] = FakeNotification.shown;
    expect(n).toMatchObject({ title: "Demo agent in #demo", options: { body: "You said: hello", tag: "m1" } });
    n!.onclick?.();
    expect(onClick).toHaveBeenCalledOnce();
    expect(n!.closed).toBe(true);
  });

  it("cut a long reply short", () => {
    const body = notificationBody("x".repeat(500));
    expect(body.length).toBe(140);
    expect(body.endsWith("…")).toBe(true);
  });

  it("are not offered where the browser has none", () => {
    vi.stubGlobal("Notification", undefined);
    expect(notifySetting()).toBe("unsupported");
  });
});
