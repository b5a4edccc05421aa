import type { GatewayView } from "@botschat/model";
import type { PairingTokenInfo, PeerInfo, SessionInfo } from "@botschat/protocol";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { relayApi } from "../api/relayApi.js";
import { DevicesSection } from "./DevicesSection.js";

const sessions: SessionInfo[] = [
  { id: "d_here", label: "Chrome on Linux", createdAt: 1, lastUsedAt: 5, current: true },
  { id: "d_phone", label: "Safari on iOS", createdAt: 2, lastUsedAt: Date.UTC(2030, 0, 2, 9, 30), current: false },
];
let tokens: PairingTokenInfo[];
const peer = (device: string, kind: "browser" | "plugin", label = device): PeerInfo => ({ device, kind, label, since: 1 }) as PeerInfo;
const gateway = { id: "gw1", name: "Home gateway", token: "d_gw", agents: [], models: [], lastSeen: 1 } as unknown as GatewayView;

beforeEach(() => {
  vi.restoreAllMocks();
  tokens = [{ id: "d_gw", label: "My gateway", createdAt: 1, lastUsedAt: 9, connected: true }];
  vi.spyOn(relayApi, "listPairingTokens").mockImplementation(async () => ({ ok: true, value: tokens }));
});

function open(peers: PeerInfo[] = [peer("d_gw", "plugin")]) {
  const onTokenRevoked = vi.fn();
  const onSessionsChanged = vi.fn();
  const [shown, setPeers] = createSignal(peers);
  render(() => (
    <DevicesSection
      token="bc_ses_here"
      sessions={sessions}
      peers={shown()}
      gateways={[gateway]}
      onSessionsChanged={onSessionsChanged}
      onTokenRevoked={onTokenRevoked}
    />
  ));
  return { onTokenRevoked, onSessionsChanged, setPeers };
}

describe("Settings › Devices and agents", () => {
  it("lists the signed-in sessions (this device first, not revocable) and the agents' tokens, with who is connected now", async () => {
    open();
    const list = screen.getByRole("list", { name: "Signed-in sessions" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows[0]).toHaveTextContent("Chrome on Linux");
    expect(rows[0]).toHaveTextContent("This device · connected now");
    expect(within(rows[0]!).queryByRole("button")).toBeNull();
    expect(rows[1]).toHaveTextContent(/Safari on iOS.*Signed-in session · last used/);
    expect(within(rows[1]!).getByRole("button", { name: "Sign out Safari on iOS" })).toBeInTheDocument();

    const agents = screen.getByRole("list", { name: "Pairing tokens" });
    expect(await within(agents).findByText("My gateway")).toBeInTheDocument();
    expect(agents).toHaveTextContent("Agent · Home gateway · connected now");
  });

  it("what is connected follows the relay's peers", async () => {
    const { setPeers } = open([]);
    const agents = screen.getByRole("list", { name: "Pairing tokens" });
    expect(await within(agents).findByText(/Agent · Home gateway · last used/)).toBeInTheDocument();
    setPeers([peer("d_gw", "plugin"), peer("d_phone", "browser", "Safari on iPhone")]);
    expect(await within(agents).findByText("Agent · Home gateway · connected now")).toBeInTheDocument();
    // A connected browser is named as it names itself.
    expect(screen.getByRole("list", { name: "Signed-in sessions" })).toHaveTextContent("Safari on iPhone" + "Signed-in session · connected now");
  });

  it("revokes a pairing token only after a confirm, then retires its gateway", async () => {
    const revoke = vi.spyOn(relayApi, "deletePairingToken").mockImplementation(async () => {
      tokens = [];
      return { ok: true, value: undefined };
    });
    const { onTokenRevoked } = open();
    fireEvent.click(await screen.findByRole("button", { name: "Revoke My gateway" }));
    const confirm = screen.getByRole("dialog", { name: "Revoke “My gateway”?" });
    expect(confirm).toHaveTextContent("The agent is disconnected at once and can no longer connect with this token.");
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(revoke).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Revoke My gateway" }));
    fireEvent.click(within(screen.getByRole("dialog", { name: "Revoke “My gateway”?" })).getByRole("button", { name: "Revoke token" }));
    await vi.waitFor(() => expect(onTokenRevoked).toHaveBeenCalledWith("d_gw"));
    expect(revoke).toHaveBeenCalledWith("bc_ses_here", "d_gw");
    expect(await screen.findByText("No pairing tokens yet.")).toBeInTheDocument();
  });

  it("signs out another session after a confirm", async () => {
    const signOut = vi.spyOn(relayApi, "deleteSession").mockResolvedValue({ ok: true, value: undefined });
    const { onSessionsChanged } = open();
    fireEvent.click(screen.getByRole("button", { name: "Sign out Safari on iOS" }));
    const confirm = screen.getByRole("dialog", { name: "Sign out “Safari on iOS”?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Sign out" }));
    await vi.waitFor(() => expect(signOut).toHaveBeenCalledWith("bc_ses_here", "d_phone"));
    await vi.waitFor(() => expect(onSessionsChanged).toHaveBeenCalled());
  });

  it("says why a revoke failed", async () => {
    vi.spyOn(relayApi, "deletePairingToken").mockResolvedValue({ ok: false, code: "offline", message: "The server cannot be reached.", status: 0 });
    const { onTokenRevoked } = open();
    fireEvent.click(await screen.findByRole("button", { name: "Revoke My gateway" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server cannot be reached.");
    expect(onTokenRevoked).not.toHaveBeenCalled();
  });

  it("Create pairing token opens the pairing flow", async () => {
    vi.spyOn(relayApi, "createPairingToken").mockResolvedValue({ ok: true, value: { id: "t2", token: "bc_pat_x", label: "My gateway", createdAt: 2 } });
    open();
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    const dialog = screen.getByRole("dialog", { name: "Pairing tokens" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create pairing token" }));
    expect(await within(dialog).findByLabelText("pairing token")).toHaveTextContent("bc_pat_x");
  });
});
