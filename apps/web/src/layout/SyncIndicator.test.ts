import { describe, expect, it } from "vitest";
import type { EngineStatus } from "../shared/views.js";
import { gatewayOnline, syncText } from "./SyncIndicator.js";

const base: EngineStatus = { state: "live", progress: { applied: 0, head: 0, cursor: 0 }, pending: 0, opened: true };

describe("syncText", () => {
  it("shows catch-up progress as entries applied of those the relay had at welcome", () => {
    expect(syncText({ ...base, state: "catching-up", progress: { applied: 120, head: 600, cursor: 100 } })).toEqual({
      text: "Catching up 120/500",
      tone: "busy",
    });
  });

  it("on a reload says Unlocking… and Connecting…, never a flash of Locked or Offline, until the engine has tried the relay", () => {
    const base = { progress: { applied: 0, head: 0, cursor: 0 }, pending: 0, opened: true } as const;
    expect(syncText({ ...base, state: "locked", unlocking: true, starting: true })).toEqual({ text: "Unlocking…", tone: "busy" });
    expect(syncText({ ...base, state: "offline", starting: true })).toEqual({ text: "Connecting…", tone: "busy" });
    expect(syncText({ ...base, state: "offline" }).text).toBe("Offline");
    expect(syncText({ ...base, state: "locked" }).text).toBe("Locked");
  });

  it("shows how many changes wait while offline", () => {
    expect(syncText({ ...base, state: "offline", pending: 2 }).text).toBe("Offline · 2 queued");
    expect(syncText({ ...base, state: "offline" }).text).toBe("Offline");
  });

  it("says Live when caught up, and when another tab holds the engine", () => {
    expect(syncText(base)).toEqual({ text: "Live", tone: "live" });
    expect(syncText({ ...base, waiting: true }).text).toBe("Open in another tab");
  });
});

describe("gatewayOnline", () => {
  it("is true only while a plugin socket with the gateway's name is connected", () => {
    const peers = [
      { device: "t1", kind: "browser" as const, label: "Demo agent", since: 0 },
      { device: "t2", kind: "plugin" as const, label: "Home gateway", since: 0 },
    ];
    expect(gatewayOnline(peers, "Demo agent")).toBe(false);
    expect(gatewayOnline(peers, "Home gateway")).toBe(true);
  });
});
