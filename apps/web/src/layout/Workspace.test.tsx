import type { SessionView } from "@botschat/model";
import { fireEvent, render, screen, waitFor, within } from "@solidjs/testing-library";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { makeWorkspaceClient, type WorkspacePort } from "../bridge/WorkspaceClient.js";
import type { ChannelDocView, WatchTarget, WatchUpdate } from "../shared/views.js";
import type { ThemeControl } from "../ui/theme.js";
import { Workspace } from "./Workspace.js";

const session = (id: string, title: string, createdAt: number, archived?: boolean): SessionView =>
  ({ id, title, createdAt, pages: [`${id}-p0`], lastPage: `${id}-p0`, ...(archived ? { archived } : {}) }) as unknown as SessionView;

/** A stand-in worker holding one channel whose sessions the operations change. */
function fakeWorker(initial: SessionView[]) {
  let sessions = initial;
  let defaultModels: Record<string, string> = {};
  const rootWatches = new Set<(u: WatchUpdate) => void>();
  const gateway = { id: "g1", name: "Home", agents: [{ id: "a1", name: "Home" }], models: [{ id: "m/fast" }, { id: "m/smart" }], defaultModel: "m/smart" };
  const pushRoot = (): void => {
    const root = { channels: [{ id: "c1", name: "general", doc: "d1", gateway: "g1", agentId: "a1", order: 0 }], gateways: [gateway], defaultModels };
    for (const cb of rootWatches) cb({ kind: "root", root: root as never });
  };
  const setDefaultModel = vi.fn(async (input: { gateway: string; model: string | null }) => {
    defaultModels = input.model === null ? {} : { [input.gateway]: input.model };
    queueMicrotask(pushRoot);
    return { ok: true as const, value: undefined };
  });
  const channelWatches = new Set<(u: WatchUpdate) => void>();
  const pushChannel = (): void => {
    const channel = { doc: "d1", sessions } as unknown as ChannelDocView;
    for (const cb of channelWatches) cb({ kind: "channel", channel });
  };
  const archiveSession = vi.fn(async (input: { session: string; archived: boolean }) => {
    sessions = sessions.map((s) => (s.id === input.session ? { ...s, archived: input.archived } : s));
    queueMicrotask(pushChannel);
    return { ok: true as const, value: undefined };
  });
  const deleteSession = vi.fn(async (input: { session: string }) => {
    sessions = sessions.filter((s) => s.id !== input.session);
    queueMicrotask(pushChannel);
    return { ok: true as const, value: undefined };
  });
  const port = {
    hello: async () => 1,
    goodbye: async () => undefined,
    unwatch: async () => undefined,
    watch: async (_client: number, target: WatchTarget, cb: (u: WatchUpdate) => void) => {
      if (target.kind === "root") {
        rootWatches.add(cb);
        queueMicrotask(pushRoot);
      } else if (target.kind === "channel") {
        channelWatches.add(cb);
        queueMicrotask(pushChannel);
      }
      return 1;
    },
    archiveSession,
    deleteSession,
    setDefaultModel,
  } as unknown as WorkspacePort;
  return { port, archiveSession, deleteSession, setDefaultModel };
}

async function setup(sessions: SessionView[]) {
  const w = fakeWorker(sessions);
  const ws = await makeWorkspaceClient(w.port, (f) => f);
  const theme: ThemeControl = { theme: () => "light", choice: () => "system", choose: () => {}, toggle: () => {} };
  render(() => (
    <Workspace
      ws={ws}
      account={{ userId: "u1", email: "ada@example.org", token: "t" }}
      theme={theme}
      onLock={() => {}}
      onSignOut={() => {}}
      onDeleteAccount={async () => undefined}
    />
  ));
  await screen.findByRole("tab", { name: "General" });
  return w;
}

const tabNames = (): string[] =>
  within(screen.getByRole("tablist", { name: "Sessions" }))
    .queryAllByRole("tab")
    .map((t) => t.textContent ?? "");
const selectedTab = (): string | null | undefined => screen.getAllByRole("tab").find((t) => t.getAttribute("aria-selected") === "true")?.textContent;

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, "", "/");
});

describe("Workspace session tabs", () => {
  it("× closes the selected tab without deleting it, selects its neighbour, and the session can be reopened", async () => {
    const w = await setup([session("s1", "General", 1), session("s2", "Planning", 2), session("s3", "Task: digest", 3, true)]);
    expect(tabNames()).toEqual(["General", "Planning"]);
    expect(selectedTab()).toBe("Planning");

    fireEvent.click(screen.getByRole("button", { name: "Close session Planning" }));
    await waitFor(() => expect(w.archiveSession).toHaveBeenCalledWith({ channelDoc: "d1", session: "s2", archived: true }));
    await waitFor(() => expect(tabNames()).toEqual(["General"]));
    expect(selectedTab()).toBe("General");
    expect(w.deleteSession).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Session options" }));
    const menu = screen.getByRole("menu", { name: "Session options" });
    expect(within(menu).getByRole("menuitem", { name: "Reopen session Task: digest" })).toBeInTheDocument();
    fireEvent.click(within(menu).getByRole("menuitem", { name: "Reopen session Planning" }));
    await waitFor(() => expect(w.archiveSession).toHaveBeenLastCalledWith({ channelDoc: "d1", session: "s2", archived: false }));
    await waitFor(() => expect(tabNames()).toEqual(["General", "Planning"]));
    expect(selectedTab()).toBe("Planning");
  });

  it("with every tab closed it says so instead of an empty chat", async () => {
    await setup([session("s1", "General", 1)]);
    fireEvent.click(screen.getByRole("button", { name: "Close session General" }));
    expect(await screen.findByText("All sessions are closed")).toBeInTheDocument();
    expect(tabNames()).toEqual([]);
  });

  it("deleting is asked for in a dialog naming the session, and only then done", async () => {
    const w = await setup([session("s1", "General", 1), session("s2", "Planning", 2)]);
    fireEvent.contextMenu(screen.getByRole("tab", { name: "General" }));
    fireEvent.click(within(screen.getByRole("menu", { name: "Options for session General" })).getByRole("menuitem", { name: "Delete session" }));
    const dialog = screen.getByRole("dialog", { name: "Delete session “General”?" });
    expect(w.deleteSession).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete session" }));
    await waitFor(() => expect(w.deleteSession).toHaveBeenCalledWith({ channelDoc: "d1", session: "s1" }));
    await waitFor(() => expect(tabNames()).toEqual(["Planning"]));
  });
});

describe("Workspace settings", () => {
  it("Settings opens the settings page in the chat's place, and a default model chosen there is the chat's default", async () => {
    const { relayApi } = await import("../api/relayApi.js");
    vi.spyOn(relayApi, "listSessions").mockResolvedValue({ ok: true, value: [] });
    vi.spyOn(relayApi, "listPairingTokens").mockResolvedValue({ ok: true, value: [] });
    vi.spyOn(relayApi, "health").mockResolvedValue({ ok: false, code: "offline", message: "", status: 0 });
    vi.spyOn(relayApi, "me").mockResolvedValue({ ok: false, code: "offline", message: "", status: 0 });
    const w = await setup([session("s1", "General", 1)]);
    expect(screen.getByRole("combobox", { name: "Model" })).toHaveTextContent("Default model (m/smart)");

    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    expect(location.hash).toBe("#/settings");
    fireEvent.change(screen.getByRole("combobox", { name: "Default model for Home" }), { target: { value: "m/fast" } });
    await waitFor(() => expect(w.setDefaultModel).toHaveBeenCalledWith({ gateway: "g1", model: "m/fast" }));

    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Settings" })).toBeNull());
    expect(screen.getByRole("combobox", { name: "Model" })).toHaveTextContent("Default model (m/fast)");
    vi.restoreAllMocks();
  });
});
