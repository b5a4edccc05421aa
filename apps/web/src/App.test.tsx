import { render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App.js";
import type { WorkspacePort } from "./bridge/WorkspaceClient.js";
import type { EngineStatus, GlobalUpdate } from "./shared/views.js";

vi.mock("./bridge/viewCache.js", () => ({
  viewCache: { peek: () => undefined, save: async () => undefined, clear: async () => undefined },
}));
vi.mock("./ui/UpdatePrompt.js", () => ({ UpdatePrompt: () => null }));
vi.mock("./api/relayApi.js", () => ({
  relayApi: { me: async () => ({ ok: true, value: { vault: new Uint8Array(1) } }), logout: async () => undefined },
}));

const progress = { applied: 0, head: 0, cursor: 0 };
const locked = (rev: number, extra: Partial<EngineStatus> = {}): EngineStatus =>
  ({ state: "locked", lock: "needs-passphrase", progress, pending: 0, opened: true, rev, ...extra }) as EngineStatus;

/** A worker whose pushes after `open` never arrive (unless the test sends one); its calls answer as the real one's do. */
function silentWorker(): WorkspacePort & { push(u: GlobalUpdate): void } {
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
});
