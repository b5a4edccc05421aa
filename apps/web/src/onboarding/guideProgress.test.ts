import type { ChannelView, GatewayView, GuideView } from "@botschat/model";
import { PeerKind, type PeerInfo } from "@botschat/protocol";
import { describe, expect, it } from "vitest";
import { guideProgress, guideWanted } from "./guideProgress.js";

const gateway = (over: Partial<GatewayView> = {}): GatewayView =>
  ({ id: "gw1", name: "Home", agents: [{ id: "main", name: "Main" }], models: [], lastSeen: 1, token: "tok_1", ...over }) as GatewayView;
const plugin = (device: string): PeerInfo => ({ device, kind: PeerKind.plugin, label: "Home", since: 1 });
const channel = { id: "c1", name: "general" } as ChannelView;
const withToken: GuideView = { token: { id: "tok_1", secret: "bc_pat_x", name: "Home", createdAt: 1 } };

describe("the guide's progress", () => {
  it("starts at connecting an agent: the passphrase is set before any workspace opens", () => {
    const p = guideProgress({ guide: undefined, gateways: [], peers: [], channels: [] });
    expect(p.current).toBe("agent");
    expect([...p.done]).toEqual(["passphrase"]);
    expect(p.connected).toBe(false);
  });

  it("sees its own gateway connect live, before the gateway even published itself", () => {
    const p = guideProgress({ guide: withToken, gateways: [], peers: [plugin("tok_1")], channels: [] });
    expect(p.connected).toBe(true);
    expect(p.current).toBe("channel");
  });

  it("does not count another device, or a gateway whose token was revoked", () => {
    expect(guideProgress({ guide: withToken, gateways: [], peers: [{ ...plugin("tok_1"), kind: PeerKind.browser }], channels: [] }).current).toBe("agent");
    expect(guideProgress({ guide: withToken, gateways: [gateway({ retired: 5 })], peers: [], channels: [] }).current).toBe("agent");
  });

  it("counts an agent connected another way (a token from the pairing dialog)", () => {
    expect(guideProgress({ guide: undefined, gateways: [gateway({ token: "tok_other" })], peers: [], channels: [] }).current).toBe("channel");
  });

  it("then says hello, and is done once finished", () => {
    expect(guideProgress({ guide: withToken, gateways: [gateway()], peers: [], channels: [channel] }).current).toBe("hello");
    const done = guideProgress({ guide: { ...withToken, finished: 9 }, gateways: [gateway()], peers: [], channels: [channel] });
    expect(done.current).toBeUndefined();
    expect(done.done.size).toBe(4);
  });
});

describe("whether the guide is offered", () => {
  it("in a new workspace, and in one it began in, until finished", () => {
    expect(guideWanted(undefined, [])).toBe(true);
    expect(guideWanted(withToken, [channel])).toBe(true);
    expect(guideWanted({ ...withToken, finished: 9 }, [])).toBe(false);
  });

  it("never in a workspace from before it that has channels", () => {
    expect(guideWanted(undefined, [channel])).toBe(false);
  });
});
