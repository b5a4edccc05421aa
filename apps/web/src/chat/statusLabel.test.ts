import type { MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { statusLabel } from "./statusLabel.js";

const mine = (status: MessageView["status"], error?: string): MessageView =>
  ({ id: "m", role: "user", text: "hi", createdAt: 0, status, attempt: 0, ...(error ? { error } : {}) }) as MessageView;

describe("statusLabel", () => {
  it("says Queued for an unsent message while offline, Sending while live, Sent once the outbox is empty", () => {
    expect(statusLabel(mine("pending"), { state: "offline", pending: 2 })?.label).toBe("Queued");
    expect(statusLabel(mine("pending"), { state: "live", pending: 1 })?.label).toBe("Sending");
    expect(statusLabel(mine("pending"), { state: "live", pending: 0 })?.label).toBe("Sent");
  });

  it("never calls another device's message Queued: it reached this device through the relay", () => {
    const theirs = { ...mine("pending"), author: "d_other" } as MessageView;
    expect(statusLabel(theirs, { state: "offline", pending: 2, device: "d_me" })?.label).toBe("Sent");
    expect(statusLabel({ ...theirs, author: "d_me" } as MessageView, { state: "offline", pending: 2, device: "d_me" })?.label).toBe("Queued");
  });

  it("says Not sent for a waiting message of this device whose document holds a change the relay will not take", () => {
    const sync = { state: "live", pending: 0, device: "d_me", unsent: ["doc-a"] } as const;
    const m = { ...mine("pending"), author: "d_me" } as MessageView;
    expect(statusLabel(m, sync, "doc-a")).toEqual({ label: "Not sent: too large for the relay", tone: "error", retry: false });
    expect(statusLabel(m, sync, "doc-b")?.label).toBe("Sent");
    expect(statusLabel({ ...m, author: "d_other" } as MessageView, sync, "doc-a")?.label).toBe("Sent");
  });

  it("says who a sent message waits for while its agent is offline; queued and sending come first", () => {
    const m = { ...mine("pending"), author: "d_me" } as MessageView;
    expect(statusLabel(m, { state: "live", pending: 0, device: "d_me" }, "doc-a", "Demo agent")?.label).toBe("Sent · waiting for Demo agent");
    expect(statusLabel(m, { state: "offline", pending: 1, device: "d_me" }, "doc-a", "Demo agent")?.label).toBe("Queued");
    expect(statusLabel(mine("received"), { state: "live", pending: 0 }, "doc-a", "Demo agent")?.label).toBe("Delivered");
  });

  it("says Delivered once an agent took the message and Answered when it replied", () => {
    expect(statusLabel(mine("received"), { state: "live", pending: 0 })?.label).toBe("Delivered");
    expect(statusLabel(mine("answered"), { state: "live", pending: 0 })).toMatchObject({ label: "Answered", tone: "ok", retry: false });
  });

  it("offers Retry on an error or an interrupted answer, with the reason", () => {
    expect(statusLabel(mine("error", "model down"), { state: "live", pending: 0 })).toEqual({ label: "Error: model down", tone: "error", retry: true });
    expect(statusLabel(mine("interrupted"), { state: "live", pending: 0 })).toMatchObject({ label: "Stopped", retry: true });
  });

  it("gives agent messages no status", () => {
    expect(statusLabel({ ...mine("answered"), role: "agent" }, { state: "live", pending: 0 })).toBeUndefined();
  });
});
