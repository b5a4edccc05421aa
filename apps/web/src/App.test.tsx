import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App.js";
import { relayApi } from "./api/relayApi.js";
import type { WorkspacePort } from "./bridge/WorkspaceClient.js";
import type { EngineStatus, GlobalUpdate } from "./shared/views.js";

vi.mock("./bridge/viewCache.js", () => ({
  viewCache: { peek: () => undefined, save: async () => undefined, clear: async () => undefined },
}));
vi.mock("./ui/UpdatePrompt.js", () => ({ UpdatePrompt: () => null }));
vi.mock("./api/relayApi.js", () => ({
  relayApi: {
    me: async () => ({ ok: true, value: { vault: new Uint8Array(1) } }),
    logout: async () => undefined,
    health: async () => ({ ok: true, value: { registration: "open" } }),
  },
}));

const progress = { applied: 0, head: 0, cursor: 0 };
const locked = (rev: number, extra: Partial<EngineStatus> = {}): EngineStatus =>
  ({ state: "locked", lock: "needs-passphrase", progress, pending: 0, opened: true, rev, ...extra }) as EngineStatus;

/** A worker whose pushes after `open` never arrive (unless the test sends one); its calls answer as the real one's do. */
function silentWorker(answers: Record<string, (...a: unknown[]) => unknown> = {}): WorkspacePort & { push(u: GlobalUpdate): void } {
  let pushTo: ((u: GlobalUpdate) => void) | undefined;
  const calls: Record<string, (...a: unknown[]) => unknown> = {
    push: (u: unknown) => pushTo?.(u as GlobalUpdate),
    hello: async (push: unknown) => {
      pushTo = push as (u: GlobalUpdate) => void;
      pushTo({ kind: "status", status: locked(1, { unlocking: true, remembered: true }) });
      return 1;
    },
    open: async () => locked(2, { unlocking: true, remembered: true }),
    // The remembered passphrase was applied and did not open the workspace.
    unlockRemembered: async () => locked(5),
    ...answers,
  };
  return new Proxy({} as WorkspacePort & { push(u: GlobalUpdate): void }, {
    get: (_t, name) => (name === "then" ? undefined : (calls[String(name)] ?? (async () => ({ ok: false, message: "not here" })))),
  });
}

describe("App", () => {
  it("shows the passphrase step, not a locked workspace shell, when the remembered passphrase leaves the workspace locked", async () => {
    localStorage.setItem("botschat.account", JSON.stringify({ userId: "u1", email: "a@b.c", token: "t" }));
    render(() => <App connect={async () => silentWorker()} />);
    expect(await screen.findByRole("heading", { name: "Unlock your workspace" }, { timeout: 3000 })).toBeInTheDocument();
    localStorage.clear();
  });

  it("moves on from the passphrase step to the workspace when the workspace opens later (the relay answered after the worker stopped waiting)", async () => {
    localStorage.setItem("botschat.account", JSON.stringify({ userId: "u1", email: "a@b.c", token: "t" }));
    const worker = silentWorker();
    render(() => <App connect={async () => worker} />);
    expect(await screen.findByRole("heading", { name: "Unlock your workspace" }, { timeout: 3000 })).toBeInTheDocument();
    worker.push({ kind: "status", status: { state: "catching-up", progress, pending: 0, opened: true, rev: 9 } });
    expect(await screen.findByRole("navigation", { name: "Channels" }, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Unlock your workspace" })).toBeNull();
    localStorage.clear();
  });

  it("signed out while the remembered passphrase is still being applied, the tab stays on the sign-in screen when that answers", async () => {
    localStorage.setItem("botschat.account", JSON.stringify({ userId: "u1", email: "a@b.c", token: "t" }));
    let answer: (s: EngineStatus) => void = () => undefined;
    const signedOut: unknown[][] = [];
    const worker = silentWorker({
      open: async () => ({ state: "catching-up", progress, pending: 0, opened: true, rev: 2, unlocking: true, remembered: true }),
      unlockRemembered: () => new Promise<EngineStatus>((resolve) => (answer = resolve)),
      signOut: async (...a: unknown[]) => void signedOut.push(a),
    });
    render(() => <App connect={async () => worker} />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }, { timeout: 3000 }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in" }, { timeout: 3000 })).toBeInTheDocument();
    // The remembered unlock answers now, about an account this tab no longer has.
    answer({ state: "live", progress, pending: 0, opened: true, rev: 9 });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(signedOut).toEqual([["u1", false]]);
    expect(localStorage.getItem("botschat.account")).toBeNull();
  });

  it("a screen that fails to draw shows what went wrong and a Reload button, never a blank page", async () => {
    const health = vi.spyOn(relayApi, "health").mockImplementation(() => {
      throw new Error("the sign-in screen broke");
    });
    render(() => <App connect={async () => silentWorker()} />);
    const alert = await screen.findByRole("alert", {}, { timeout: 3000 });
    expect(alert).toHaveTextContent("Something went wrong");
    expect(alert).toHaveTextContent("the sign-in screen broke");
    expect(within(alert).getByRole("button", { name: "Reload" })).toBeInTheDocument();
    health.mockRestore();
  });
});
