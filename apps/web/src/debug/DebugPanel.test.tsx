import type { SyncLogEntry } from "@botschat/model";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { describe, expect, it, vi } from "vitest";
import { DebugPanel } from "./DebugPanel.js";
import { isDebugShortcut } from "./debugShortcut.js";

let ts = 1_700_000_000_000;
const line = (cat: SyncLogEntry["cat"], msg: string): SyncLogEntry => ({ ts: ts++, cat, msg });

function setup(initial: SyncLogEntry[], phone = false): { add: (...l: SyncLogEntry[]) => void; onClose: () => void } {
  const [lines, setLines] = createSignal(initial);
  const onClose = vi.fn();
  render(() => <DebugPanel lines={lines()} phone={phone} onClose={onClose} />);
  return { add: (...l) => setLines((before) => [...before, ...l]), onClose };
}

const rows = (): HTMLElement[] => within(screen.getByRole("list", { name: "Log lines" })).queryAllByRole("listitem");
const texts = (): string[] => rows().map((r) => r.textContent ?? "");

describe("DebugPanel", () => {
  it("is a region named Debug log, not a dialog", () => {
    setup([line("WS", "connecting")]);
    expect(screen.getByRole("region", { name: "Debug log" })).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("separator", { name: "Resize debug log" }).getAttribute("aria-orientation")).toBe("horizontal");
  });

  it("folds repeated frame lines into one with a count", () => {
    setup([line("WS", "welcome"), line("WST", "← ack 12"), line("WST", "← ack 13"), line("WST", "← ack 14")]);
    expect(rows()).toHaveLength(2);
    expect(texts()[1]).toContain("← ack 12…14");
    expect(texts()[1]).toContain("×3");
  });

  it("hides a category switched off and filters by text", () => {
    setup([line("WS", "welcome"), line("WST", "→ hello"), line("WRN", "socket closed: 1006")]);
    const wst = screen.getByRole("button", { name: "WST" });
    expect(wst.getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(wst);
    expect(wst.getAttribute("aria-pressed")).toBe("false");
    expect(screen.getByRole("button", { name: "ALL" }).getAttribute("aria-pressed")).toBe("false");
    expect(texts().some((t) => t.includes("hello"))).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "ALL" }));
    expect(texts().some((t) => t.includes("hello"))).toBe(true);
    fireEvent.input(screen.getByRole("searchbox", { name: "Filter text" }), { target: { value: "socket" } });
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain("socket closed: 1006");
  });

  it("shows a line's details when pressed", () => {
    setup([line("ERR", "sync failed: boom")]);
    const summary = within(rows()[0]!).getByRole("button");
    expect(summary.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(summary);
    expect(summary.getAttribute("aria-expanded")).toBe("true");
    const details = document.getElementById(summary.getAttribute("aria-controls")!)!;
    expect(details.textContent).toContain("Category");
    expect(details.textContent).toMatch(/\d\d:\d\d:\d\d\.\d\d\d/);
  });

  it("keeps a row open while more lines join its group", () => {
    const { add } = setup([line("WST", "← ack 1"), line("WST", "← ack 2")]);
    fireEvent.click(within(rows()[0]!).getByRole("button"));
    add(line("WST", "← ack 3"));
    expect(texts()[0]).toContain("×3");
    expect(within(rows()[0]!).getByRole("button").getAttribute("aria-expanded")).toBe("true");
  });

  it("Clear empties the view; lines that come later show", () => {
    const { add } = setup([line("WS", "welcome"), line("INF", "opened")]);
    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(texts().join()).not.toContain("welcome");
    add(line("WS", "synced at 3"));
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain("synced at 3");
  });

  it("collapses to its header", () => {
    setup([line("WS", "welcome")]);
    const collapse = screen.getByRole("button", { name: "Collapse debug log" });
    expect(collapse.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(collapse);
    expect(screen.getByRole("button", { name: "Expand debug log" }).getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByRole("list", { name: "Log lines" })).toBeNull();
  });

  it("resizes with the arrow keys and remembers the height", () => {
    localStorage.removeItem("botschat.debugLogHeight");
    setup([]);
    const handle = screen.getByRole("separator", { name: "Resize debug log" });
    const before = Number(handle.getAttribute("aria-valuenow"));
    fireEvent.keyDown(handle, { key: "ArrowUp" });
    expect(Number(handle.getAttribute("aria-valuenow"))).toBe(before + 24);
    expect(localStorage.getItem("botschat.debugLogHeight")).toBe(String(before + 24));
  });

  it("on a phone is a screen of its own with a Close button; Escape closes it too", () => {
    const { onClose } = setup([line("WS", "welcome")], true);
    expect(screen.queryByRole("separator")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Close debug log" }));
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByRole("region", { name: "Debug log" }), { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});

describe("the Debug log's shortcut", () => {
  it("is Ctrl+` (by the key's place), nothing else", () => {
    const key = { ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, code: "Backquote" };
    expect(isDebugShortcut(key)).toBe(true);
    expect(isDebugShortcut({ ...key, shiftKey: true })).toBe(false);
    expect(isDebugShortcut({ ...key, ctrlKey: false, metaKey: true })).toBe(false);
    expect(isDebugShortcut({ ...key, code: "KeyD" })).toBe(false);
  });
});
