import { fireEvent, render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { Composer, sendsOnKey } from "./Composer.js";

function setup() {
  const onSend = vi.fn(async () => true);
  render(() => <Composer placeholder="Message #general" onSend={onSend} />);
  const box = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
  return { onSend, box };
}

describe("Composer", () => {
  it("sends the text on Enter and empties the box", async () => {
    const { onSend, box } = setup();
    fireEvent.input(box, { target: { value: "hello" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith("hello", []));
    await vi.waitFor(() => expect(box.value).toBe(""));
  });

  it("does not send on Shift+Enter (a new line)", () => {
    const { onSend, box } = setup();
    fireEvent.input(box, { target: { value: "line one" } });
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("does not send the Enter that confirms an IME composition", () => {
    const { onSend, box } = setup();
    fireEvent.input(box, { target: { value: "にほん" } });
    fireEvent.keyDown(box, { key: "Enter", isComposing: true });
    fireEvent.keyDown(box, { key: "Enter", keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("keeps Send disabled while there is nothing to send", () => {
    const { box } = setup();
    const send = screen.getByRole("button", { name: "Send" });
    expect(send).toBeDisabled();
    fireEvent.input(box, { target: { value: "   " } });
    expect(send).toBeDisabled();
    fireEvent.input(box, { target: { value: "x" } });
    expect(send).toBeEnabled();
  });

  it("sendsOnKey: only a plain Enter outside composition sends", () => {
    const k = { key: "Enter", shiftKey: false, isComposing: false, keyCode: 13 };
    expect(sendsOnKey(k)).toBe(true);
    expect(sendsOnKey({ ...k, shiftKey: true })).toBe(false);
    expect(sendsOnKey({ ...k, isComposing: true })).toBe(false);
    expect(sendsOnKey({ ...k, keyCode: 229 })).toBe(false);
    expect(sendsOnKey({ ...k, key: "a" })).toBe(false);
  });

  it("does not take the focus from an open dialog", async () => {
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    const field = document.createElement("input");
    dialog.append(field);
    document.body.append(dialog);
    field.focus();
    render(() => <Composer placeholder="Message" onSend={async () => true} autofocus />);
    await Promise.resolve();
    await Promise.resolve();
    expect(document.activeElement).toBe(field);
    dialog.remove();
  });
});
