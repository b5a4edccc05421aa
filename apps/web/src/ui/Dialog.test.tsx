import { fireEvent, render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./Dialog.js";

describe("ConfirmDialog", () => {
  it("starts on Cancel for a dangerous action, so Enter by habit destroys nothing", () => {
    const onConfirm = vi.fn();
    render(() => (
      <ConfirmDialog
        title="Delete session “Plans”?"
        message="This cannot be undone."
        confirmLabel="Delete session"
        danger
        onConfirm={onConfirm}
        onClose={() => {}}
      />
    ));
    expect(screen.getByRole("dialog", { name: "Delete session “Plans”?" })).toBeInTheDocument();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete session" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("starts on the confirm button for a harmless action; Escape closes without confirming", () => {
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    render(() => <ConfirmDialog title="Archive?" message="It can be brought back." confirmLabel="Archive" onConfirm={onConfirm} onClose={onClose} />);
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Archive" }));
    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
