import type { SessionView } from "@botschat/model";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { SessionTabs } from "./SessionTabs.js";

const sessions = [
  { id: "s1", title: "General", createdAt: 1, pages: [], lastPage: "p1" },
  { id: "s2", title: "Planning", createdAt: 2, pages: [], lastPage: "p2" },
  { id: "s3", title: "Old ideas", createdAt: 3, pages: [], lastPage: "p3", archived: true },
] as unknown as SessionView[];

function setup(list: SessionView[] = sessions) {
  const props = { onSelect: vi.fn(), onNew: vi.fn(), onRename: vi.fn(), onClose: vi.fn(), onReopen: vi.fn(), onDelete: vi.fn() };
  render(() => <SessionTabs sessions={list} selected="s1" {...props} />);
  return props;
}

describe("SessionTabs", () => {
  it("shows open sessions as tabs and not the closed ones", () => {
    setup();
    const tabs = within(screen.getByRole("tablist", { name: "Sessions" })).getAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(["General", "Planning"]);
    expect(screen.getByRole("tab", { name: "General" })).toHaveAttribute("aria-selected", "true");
  });

  it("renames a tab on double-click and Enter", async () => {
    const p = setup();
    fireEvent.dblClick(screen.getByRole("tab", { name: "Planning" }));
    const box = await screen.findByRole("textbox", { name: "Session name" });
    fireEvent.input(box, { target: { value: "Roadmap" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(p.onRename).toHaveBeenCalledWith(sessions[1], "Roadmap");
    expect(screen.getByRole("tab", { name: "Planning" })).toBeInTheDocument();
  });

  it("cancels a rename on Escape", async () => {
    const p = setup();
    fireEvent.dblClick(screen.getByRole("tab", { name: "General" }));
    const box = await screen.findByRole("textbox", { name: "Session name" });
    fireEvent.input(box, { target: { value: "Other" } });
    fireEvent.keyDown(box, { key: "Escape" });
    expect(p.onRename).not.toHaveBeenCalled();
    expect(screen.queryByRole("textbox", { name: "Session name" })).toBeNull();
  });

  it("× closes the tab and never deletes the session", () => {
    const p = setup();
    fireEvent.click(screen.getByRole("button", { name: "Close session Planning" }));
    expect(p.onClose).toHaveBeenCalledWith(sessions[1]);
    expect(p.onDelete).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "New session" }));
    expect(p.onNew).toHaveBeenCalled();
  });

  it("a tab's context menu offers Rename, Close and Delete for that session", async () => {
    const p = setup();
    fireEvent.contextMenu(screen.getByRole("tab", { name: "Planning" }));
    const menu = screen.getByRole("menu", { name: "Options for session Planning" });
    expect(
      within(menu)
        .getAllByRole("menuitem")
        .map((b) => b.textContent),
    ).toEqual(["Rename session", "Close session", "Delete session"]);
    fireEvent.click(within(menu).getByRole("menuitem", { name: "Delete session" }));
    expect(p.onDelete).toHaveBeenCalledWith(sessions[1]);
    expect(p.onClose).not.toHaveBeenCalled();
    expect(screen.queryByRole("menu")).toBeNull();

    fireEvent.keyDown(screen.getByRole("tab", { name: "General" }), { key: "F10", shiftKey: true });
    fireEvent.click(within(screen.getByRole("menu", { name: "Options for session General" })).getByRole("menuitem", { name: "Rename session" }));
    expect(await screen.findByRole("textbox", { name: "Session name" })).toHaveValue("General");
  });

  it("the options menu acts on the selected session and lists closed sessions to reopen", () => {
    const p = setup();
    fireEvent.click(screen.getByRole("button", { name: "Session options" }));
    const menu = screen.getByRole("menu", { name: "Session options" });
    fireEvent.click(within(menu).getByRole("menuitem", { name: "Reopen session Old ideas" }));
    expect(p.onReopen).toHaveBeenCalledWith(sessions[2]);

    fireEvent.click(screen.getByRole("button", { name: "Session options" }));
    fireEvent.click(within(screen.getByRole("menu", { name: "Session options" })).getByRole("menuitem", { name: "Close session" }));
    expect(p.onClose).toHaveBeenCalledWith(sessions[0]);
  });

  it("with every tab closed the options menu still reopens them", () => {
    const p = setup(sessions.map((s) => ({ ...s, archived: true })));
    expect(screen.queryAllByRole("tab")).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Session options" }));
    const items = within(screen.getByRole("menu", { name: "Session options" })).getAllByRole("menuitem");
    expect(items.map((b) => b.getAttribute("aria-label"))).toEqual(["Reopen session General", "Reopen session Planning", "Reopen session Old ideas"]);
    fireEvent.click(items[1]!);
    expect(p.onReopen).toHaveBeenCalledWith(expect.objectContaining({ id: "s2" }));
  });
});
