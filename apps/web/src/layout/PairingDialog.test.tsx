import { fireEvent, render, screen } from "@solidjs/testing-library";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { relayApi } from "../api/relayApi.js";
import { CopyCommand, NewChannelDialog, PairingDialog, TOKEN_LIST_REFRESH_MS } from "./dialogs.js";

beforeEach(() => {
  vi.restoreAllMocks();
  vi.spyOn(relayApi, "listPairingTokens").mockResolvedValue({ ok: true, value: [] });
  vi.spyOn(relayApi, "createPairingToken").mockImplementation(async (_token, label) => ({
    ok: true,
    value: { id: "t1", token: "bc_pat_new_token_1", label, createdAt: 1 } as never,
  }));
});

describe("PairingDialog", () => {
  it("shows a new token with the OpenClaw setup lines and the demo agent line, filled with this relay, the token and the gateway name, and never the passphrase", async () => {
    render(() => <PairingDialog token="session-token" onClose={() => {}} />);
    fireEvent.input(screen.getByRole("textbox", { name: "Gateway name" }), { target: { value: "Home gateway" } });
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));

    expect(await screen.findByLabelText("pairing token")).toHaveTextContent("bc_pat_new_token_1");
    expect(relayApi.createPairingToken).toHaveBeenCalledWith("session-token", "Home gateway");
    const setup = screen.getByLabelText("OpenClaw setup lines").textContent ?? "";
    const lines = setup.split("\n");
    expect(lines[0]).toBe("openclaw plugins install ./botschat-openclaw --force --accept-capabilities");
    expect(lines[1]).toContain(`"value":"${location.origin}"`);
    expect(lines[1]).toContain('"value":"bc_pat_new_token_1"');
    expect(lines[1]).toContain('"value":"Home gateway"');
    expect(lines[2]).toContain("printf 'Workspace passphrase: '");
    expect(lines.slice(3)).toEqual(["openclaw gateway restart", "openclaw channels status"]);
    expect(screen.getByLabelText("demo agent command")).toHaveTextContent(`pnpm agent:demo --relay ${location.origin} --name 'Home gateway'`);
    expect(screen.getByLabelText("demo agent command")).not.toHaveTextContent("bc_pat_new_token_1");
    // The passphrase is read on that machine into a variable, never written into the lines.
    expect(setup).not.toContain('e2ePassword","value"');
    expect(lines[2]).toContain('openclaw config set --batch-file "$f"');
    expect(screen.getByRole("button", { name: "Copy OpenClaw setup lines" })).toBeInTheDocument();
  });

  it("copies the setup lines exactly as shown", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(() => <PairingDialog token="session-token" onClose={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    const shown = (await screen.findByLabelText("OpenClaw setup lines")).textContent;
    fireEvent.click(screen.getByRole("button", { name: "Copy OpenClaw setup lines" }));
    expect(writeText).toHaveBeenCalledWith(shown);
    expect(await screen.findByRole("button", { name: "Copy OpenClaw setup lines" })).toHaveTextContent("Copied");
  });

  it("says why a token could not be made", async () => {
    vi.spyOn(relayApi, "createPairingToken").mockResolvedValue({ ok: false, code: "offline", message: "The server cannot be reached.", status: 0 });
    render(() => <PairingDialog token="session-token" onClose={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Create pairing token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server cannot be reached.");
    expect(screen.queryByLabelText("pairing token")).toBeNull();
  });

  it("revokes a token only after a confirm that says what happens, and keeps the list live while open", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const tokens = [{ id: "t1", label: "Home gateway", createdAt: 1, lastUsedAt: null, connected: false }];
      const list = vi.spyOn(relayApi, "listPairingTokens").mockImplementation(async () => ({ ok: true, value: tokens.map((t) => ({ ...t })) as never }));
      const del = vi.spyOn(relayApi, "deletePairingToken").mockResolvedValue({ ok: true, value: undefined });
      const onRevoked = vi.fn();
      render(() => <PairingDialog token="session-token" onRevoked={onRevoked} onClose={() => {}} />);
      const tokenList = await screen.findByRole("list", { name: "Pairing tokens" });
      await vi.waitFor(() => expect(tokenList).toHaveTextContent("never used"));

      // The gateway connects while the dialog is open: the list says so without reopening.
      tokens[0]!.connected = true;
      await vi.advanceTimersByTimeAsync(TOKEN_LIST_REFRESH_MS + 10);
      await vi.waitFor(() => expect(tokenList).toHaveTextContent("connected"));
      expect(list.mock.calls.length).toBeGreaterThan(1);

      fireEvent.click(screen.getByRole("button", { name: "Revoke Home gateway" }));
      expect(del).not.toHaveBeenCalled();
      const confirm = screen.getByRole("group", { name: "Revoke Home gateway?" });
      expect(confirm).toHaveTextContent("It is disconnected at once.");
      fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
      expect(screen.queryByRole("group", { name: "Revoke Home gateway?" })).toBeNull();
      expect(del).not.toHaveBeenCalled();

      fireEvent.click(screen.getByRole("button", { name: "Revoke Home gateway" }));
      fireEvent.click(screen.getByRole("button", { name: "Revoke token" }));
      await vi.waitFor(() => expect(del).toHaveBeenCalledWith("session-token", "t1"));
      // The workspace then stops offering that token's gateways for new channels.
      await vi.waitFor(() => expect(onRevoked).toHaveBeenCalledWith("t1"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("without the Clipboard API (plain http on a LAN address) the lines are selected for Ctrl+C", async () => {
    Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    const execCommand = vi.fn(() => false);
    Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
    render(() => <CopyCommand label="OpenClaw setup lines" text={"line one\nline two"} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy OpenClaw setup lines" }));
    expect(execCommand).toHaveBeenCalledWith("copy");
    expect(getSelection()?.toString()).toContain("line one");
    expect(screen.getByRole("button", { name: "Copy OpenClaw setup lines" })).toHaveTextContent("Press Ctrl+C");
    expect(screen.getByLabelText("OpenClaw setup lines").textContent).toBe("line one\nline two");
  });
});

describe("NewChannelDialog", () => {
  it("offers the agents of published gateways, but not of one whose pairing token was revoked", () => {
    const gateway = (id: string, name: string, retired?: number) =>
      ({ id, name, agents: [{ id: "main", name }], models: [], lastSeen: 1, ...(retired === undefined ? {} : { retired }) }) as never;
    render(() => (
      <NewChannelDialog
        gateways={[gateway("gw-a", "Home"), gateway("gw-b", "Old laptop", 5)]}
        onCreate={async () => undefined}
        onPairing={() => {}}
        onClose={() => {}}
      />
    ));
    const options = screen.getAllByRole("option").map((o) => o.textContent);
    expect(options).toEqual(["Home"]);
  });
});
