import type { SessionView } from "@botschat/model";
import { fireEvent, render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { SessionTabs } from "./SessionTabs.js";

const sessions = [
  { id: "s1", title: "General", createdAt: 1, pages: [], lastPage: "p1" },
  { id: "s2", title: "Planning", createdAt: 2, pages: [], lastPage: "p2" },
] as unknown as SessionView[];

function setup() {
  const props = { onSelect: vi.fn(), onNew: vi.fn(), onRename: vi.fn(), onDelete: vi.fn() };
  render(() => <SessionTabs sessions={sessions} selected="s1" {...props} />);
  return props;
}

describe("SessionTabs", () => {
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

  it("marks the selected tab and asks before deleting (the caller confirms)", () => {
    const p = setup();
    expect(screen.getByRole("tab", { name: "General" })).toHaveAttribute("aria-selected", "true");
    fireEvent.click(screen.getByRole("button", { name: "Delete session Planning" }));
    expect(p.onDelete).toHaveBeenCalledWith(sessions[1]);
    fireEvent.click(screen.getByRole("button", { name: "New session" }));
    expect(p.onNew).toHaveBeenCalled();
  });
});
