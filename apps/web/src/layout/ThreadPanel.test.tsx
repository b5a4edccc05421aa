import type { CommandUseView, DocumentId, GatewayView, MessageView, SessionView } from "@botschat/model";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { makeWorkspaceClient, type WorkspacePort } from "../bridge/WorkspaceClient.js";
import type { WatchTarget, WatchUpdate } from "../shared/views.js";
import { ThreadPanel } from "./ThreadPanel.js";
import { WorkspaceContext, type WorkspaceContextValue } from "./WorkspaceContext.js";

const PAGE = "page-1" as DocumentId;
const THREAD = "thread-1" as DocumentId;

const gateway = {
  id: "g1",
  name: "Home",
  agents: [{ id: "a1", name: "Home" }],
  models: [
    { id: "demo/fast", name: "Demo Fast" },
    { id: "demo/smart", name: "Demo Smart" },
  ],
  defaultModel: "demo/smart",
  skills: [{ name: "markdown", description: "Writes headings, lists and tables." }],
} as unknown as GatewayView;

const parent = {
  id: "m1",
  role: "user",
  text: "What should we ship first?",
  createdAt: 1_700_000_000_000,
  author: "d1",
  status: "answered",
} as unknown as MessageView;

/** A stand-in worker: the page holds the thread's parent message; replies are recorded. */
function fakeWorker() {
  const replyInThread = vi.fn(async (_input: { pageDoc: string; message: string; text: string }) => ({
    ok: true as const,
    value: { doc: THREAD, message: "r1" },
  }));
  const port = {
    hello: async () => 1,
    goodbye: async () => undefined,
    unwatch: async () => undefined,
    watch: async (_client: number, target: WatchTarget, cb: (u: WatchUpdate) => void) => {
      if (target.kind === "messages") {
        const messages = target.doc === PAGE ? [parent] : [];
        queueMicrotask(() => cb({ kind: "messages", view: { doc: target.doc, messages, present: true } }));
      }
      return 1;
    },
    replyInThread,
  } as unknown as WorkspacePort;
  return { port, replyInThread };
}

async function setup(given: { commands?: CommandUseView[]; session?: Partial<SessionView> } = {}) {
  const w = fakeWorker();
  const ws = await makeWorkspaceClient(w.port, (f) => f);
  const [commands, setCommands] = createSignal<readonly CommandUseView[] | undefined>(given.commands);
  const session = { id: "s1", title: "General", createdAt: 1, pages: [PAGE], lastPage: PAGE, ...given.session } as SessionView;
  const ctx: WorkspaceContextValue = {
    ws,
    account: { userId: "u1", email: "ada@example.org", token: "t" },
    gateways: () => [gateway],
    chatGateway: () => gateway,
    session: () => session,
    commands,
    senderName: () => "ada",
    openThread: () => {},
    notify: vi.fn(),
  };
  render(() => (
    <WorkspaceContext.Provider value={ctx}>
      <ThreadPanel pageDoc={PAGE} message="m1" agentName="Home" agentOnline onClose={() => {}} />
    </WorkspaceContext.Provider>
  ));
  await screen.findByText("What should we ship first?");
  const box = screen.getByRole("textbox", { name: "Reply" }) as HTMLTextAreaElement;
  const type = (value: string) => fireEvent.input(box, { target: { value } });
  const options = () => [...(screen.queryByRole("listbox", { name: "Commands" })?.querySelectorAll("[role=option]") ?? [])];
  return { ...w, box, type, options, setCommands };
}

beforeEach(() => localStorage.clear());

describe("the thread's composer", () => {
  it("/ lists the commands with the gateway's models and skills; picking one fills the composer, Enter sends it to the thread", async () => {
    const { box, type, options, replyInThread } = await setup({ session: { model: "demo/fast" as SessionView["model"] } });
    expect(box).toHaveAttribute("aria-expanded", "false");
    type("/");
    expect(options().map((o) => o.querySelector(".command-text")!.textContent)).toEqual([
      "/help",
      "/model",
      "/model demo/fast",
      "/model demo/smart",
      "/skills",
      "/markdown",
    ]);
    // The session's model is said on its entry, as in the chat.
    expect(options()[2]).toHaveTextContent("Demo Fast: this session's model.");
    expect(options()[3]).toHaveTextContent("Switches this session to Demo Smart.");
    expect(box).toHaveAttribute("aria-expanded", "true");

    type("/sm");
    fireEvent.click(options()[0]!);
    expect(box.value).toBe("/model demo/smart");
    expect(screen.queryByRole("listbox", { name: "Commands" })).toBeNull();
    expect(replyInThread).not.toHaveBeenCalled();

    fireEvent.keyDown(box, { key: "Enter" });
    await vi.waitFor(() => expect(replyInThread).toHaveBeenCalledWith({ pageDoc: PAGE, message: "m1", text: "/model demo/smart" }));
    expect(box.value).toBe("");
  });

  it("says the gateway's default as the model of a session that names none", async () => {
    const { type, options } = await setup();
    type("/model demo/sm");
    expect(options()[0]).toHaveTextContent("Demo Smart: this session's model.");
  });

  it("shows the person's most used commands as the command bar; one sends to the thread at a tap", async () => {
    const { replyInThread, setCommands } = await setup({ commands: [] });
    expect(screen.queryByRole("group", { name: "Frequent commands" })).toBeNull();
    setCommands([
      { command: "/help", count: 3, last: 2 },
      { command: "/model demo/fast", count: 1, last: 1 },
    ]);
    const bar = screen.getByRole("group", { name: "Frequent commands" });
    expect(
      within(bar)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["/help", "/model demo/fast"]);
    fireEvent.click(within(bar).getByRole("button", { name: "/help" }));
    await vi.waitFor(() => expect(replyInThread).toHaveBeenCalledWith({ pageDoc: PAGE, message: "m1", text: "/help" }));
  });

  it("sends a command as it is while a message is quoted (so the agent answers it and its use counts); the quote waits for the next reply", async () => {
    const { box, type, replyInThread } = await setup();
    const row = screen.getByText("What should we ship first?").closest(".thread-parent") as HTMLElement;
    fireEvent.click(within(row).getByRole("button", { name: "Quote" }));
    expect(screen.getByText(/^Quoting:/)).toBeInTheDocument();

    type("/help");
    fireEvent.keyDown(box, { key: "Enter" });
    await vi.waitFor(() => expect(replyInThread).toHaveBeenLastCalledWith({ pageDoc: PAGE, message: "m1", text: "/help" }));
    expect(screen.getByText(/^Quoting:/)).toBeInTheDocument();

    type("the docs first");
    fireEvent.keyDown(box, { key: "Enter" });
    await vi.waitFor(() =>
      expect(replyInThread).toHaveBeenLastCalledWith({ pageDoc: PAGE, message: "m1", text: "> What should we ship first?\n\nthe docs first" }),
    );
    await vi.waitFor(() => expect(screen.queryByText(/^Quoting:/)).toBeNull());
  });
});
