import type { ChannelView, GatewayView, GuideView } from "@botschat/model";
import { PeerKind, type PeerInfo } from "@botschat/protocol";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { relayApi } from "../api/relayApi.js";
import type { WorkspaceApi } from "../shared/WorkspaceApi.js";
import { FIRST_MESSAGE, Guide } from "./Guide.js";

let made: number;
beforeEach(() => {
  vi.restoreAllMocks();
  made = 0;
  vi.spyOn(relayApi, "createPairingToken").mockImplementation(async (_session, label) => {
    made += 1;
    return { ok: true, value: { id: `tok_${made}`, token: `bc_pat_secret_${made}`, label, createdAt: 1 } as never };
  });
  vi.spyOn(relayApi, "deletePairingToken").mockResolvedValue({ ok: true, value: undefined });
});

const gateway = (token: string): GatewayView =>
  ({ id: "gw1", name: "Home", agents: [{ id: "main", name: "Home" }], models: [], lastSeen: 1, token }) as unknown as GatewayView;
const plugin = (device: string): PeerInfo => ({ device, kind: PeerKind.plugin, label: "Home", since: 1 });

/** The guide over a workspace whose root changes as the worker would change it. */
function open(start: { guide?: GuideView; gateways?: GatewayView[]; channels?: ChannelView[]; peers?: PeerInfo[] } = {}) {
  const [guide, setGuide] = createSignal<GuideView | undefined>(start.guide);
  const [gateways, setGateways] = createSignal(start.gateways ?? []);
  const [peers, setPeers] = createSignal(start.peers ?? []);
  const [channels, setChannels] = createSignal(start.channels ?? []);
  // The worker's updateGuide, kept in the signal as the root view would bring it back.
  const updateGuide = vi.fn<WorkspaceApi["updateGuide"]>(async (input) => {
    const g: GuideView = { ...guide() };
    if (input.token !== undefined) {
      if (g.token !== undefined) return { ok: true, value: { recorded: false } };
      g.token = { ...input.token, createdAt: 1 };
    }
    if (input.forgetSecret === true && g.token) g.token = { id: g.token.id, name: g.token.name, createdAt: 1 };
    if (input.agent !== undefined) g.agent = input.agent;
    if (input.finished === true) g.finished = 5;
    setGuide(g);
    return { ok: true, value: { recorded: true } };
  });
  const onCreateChannel = vi.fn(async () => undefined);
  const onSayHello = vi.fn(async () => undefined);
  const onLeave = vi.fn();
  const view = render(() => (
    <Guide
      accountToken="bc_ses_1"
      guide={guide()}
      gateways={gateways()}
      peers={peers()}
      channels={channels()}
      api={{ updateGuide }}
      onCreateChannel={onCreateChannel}
      onSayHello={onSayHello}
      helloChannel={channels()[0]}
      agentName="Home"
      onPairing={() => {}}
      onLeave={onLeave}
    />
  ));
  return { view, guide, setGuide, setGateways, setPeers, setChannels, updateGuide, onCreateChannel, onSayHello, onLeave };
}

const step = (name: string): HTMLElement => screen.getByRole("listitem", { name: new RegExp(`^${name}`) });

describe("the first-run guide", () => {
  it("shows the passphrase done and explained, and connecting an agent as the current step", () => {
    open();
    expect(step("Set your passphrase")).toHaveAccessibleName("Set your passphrase (done)");
    expect(step("Set your passphrase")).toHaveTextContent("Nobody can reset it");
    expect(step("Connect an agent")).toHaveAttribute("aria-current", "step");
    expect(within(step("Connect an agent")).getByRole("radio", { name: "Demo agent" })).toBeChecked();
    expect(within(step("Connect an agent")).getByRole("textbox", { name: "Gateway name" })).toHaveValue("Demo agent");
  });

  it("makes one pairing token, keeps it in the workspace, and shows its lines again however often it is shown", async () => {
    const g = open();
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    expect(await screen.findByLabelText("pairing token")).toHaveTextContent("bc_pat_secret_1");
    expect(screen.getByLabelText("demo agent command")).toHaveTextContent(`pnpm agent:demo --relay ${location.origin} --name 'Demo agent'`);
    expect(g.updateGuide).toHaveBeenCalledWith({ token: { id: "tok_1", secret: "bc_pat_secret_1", name: "Demo agent" }, agent: "demo" });
    expect(screen.getByRole("status")).toHaveTextContent("Waiting for “Demo agent” to connect…");

    // The OpenClaw lines use the same token, and the choice is remembered with it.
    fireEvent.click(screen.getByRole("radio", { name: "OpenClaw gateway" }));
    expect(screen.getByLabelText("OpenClaw setup lines").textContent).toContain('"value":"bc_pat_secret_1"');
    expect(g.guide()?.agent).toBe("openclaw");

    // Shown again (a reload, another device): the same token and lines, and nothing to make another.
    g.view.unmount();
    render(() => (
      <Guide
        accountToken="bc_ses_1"
        guide={g.guide()}
        gateways={[]}
        peers={[]}
        channels={[]}
        api={{ updateGuide: g.updateGuide }}
        onCreateChannel={async () => undefined}
        onSayHello={async () => undefined}
        helloChannel={undefined}
        agentName="Home"
        onPairing={() => {}}
        onLeave={() => {}}
      />
    ));
    expect(screen.getByLabelText("pairing token")).toHaveTextContent("bc_pat_secret_1");
    expect(screen.getByRole("radio", { name: "OpenClaw gateway" })).toBeChecked();
    expect(screen.queryByRole("button", { name: "Create pairing token" })).toBeNull();
    expect(made).toBe(1);
  });

  it("revokes a token it made when the workspace already had the guide's token (two devices at once)", async () => {
    const g = open();
    g.updateGuide.mockResolvedValueOnce({ ok: true, value: { recorded: false } });
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    await vi.waitFor(() => expect(relayApi.deletePairingToken).toHaveBeenCalledWith("bc_ses_1", "tok_1"));
  });

  it("says why a token could not be made", async () => {
    vi.spyOn(relayApi, "createPairingToken").mockResolvedValue({ ok: false, code: "offline", message: "The server cannot be reached.", status: 0 });
    open();
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server cannot be reached.");
  });

  it("sees the gateway connect live, forgets the token's secret, and moves on to the channel", async () => {
    const g = open({ guide: { token: { id: "tok_1", secret: "bc_pat_secret_1", name: "Home", createdAt: 1 }, agent: "demo" } });
    g.setPeers([plugin("tok_1")]);
    await vi.waitFor(() => expect(g.updateGuide).toHaveBeenCalledWith({ forgetSecret: true }));
    expect(g.guide()?.token?.secret).toBeUndefined();
    expect(step("Connect an agent")).toHaveTextContent("“Home” is connected.");
    expect(step("Create your first channel")).toHaveAttribute("aria-current", "step");
    expect(g.updateGuide).toHaveBeenCalledTimes(1);

    g.setGateways([gateway("tok_1")]);
    fireEvent.click(within(step("Create your first channel")).getByRole("button", { name: "Create channel" }));
    await vi.waitFor(() => expect(g.onCreateChannel).toHaveBeenCalledWith("general", "gw1", "main"));
  });

  it("sends the first message, and can be left or put away", async () => {
    const channel = { id: "c1", name: "general" } as ChannelView;
    const g = open({ guide: { token: { id: "tok_1", name: "Home", createdAt: 1 } }, gateways: [gateway("tok_1")], channels: [channel] });
    expect(step("Say hello")).toHaveAttribute("aria-current", "step");
    expect(step("Say hello")).toHaveTextContent("in #general");
    expect(within(step("Say hello")).getByRole("textbox", { name: "First message" })).toHaveValue(FIRST_MESSAGE);
    fireEvent.click(within(step("Say hello")).getByRole("button", { name: "Send" }));
    await vi.waitFor(() => expect(g.onSayHello).toHaveBeenCalledWith(FIRST_MESSAGE));

    fireEvent.click(screen.getByRole("button", { name: "Skip for now" }));
    expect(g.onLeave).toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Don't show this again" }));
    await vi.waitFor(() => expect(g.guide()?.finished).toBe(5));
  });
});
