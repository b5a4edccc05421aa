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

  it("takes the text at once on Send, so text typed while the previous message is sending is kept and sent", async () => {
    const pending: Array<(ok: boolean) => void> = [];
    const onSend = vi.fn((_text: string, _files: File[]) => new Promise<boolean>((resolve) => pending.push(resolve)));
    render(() => <Composer placeholder="Message" onSend={onSend} />);
    const box = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
    const send = screen.getByRole("button", { name: "Send" });
    fireEvent.input(box, { target: { value: "A" } });
    fireEvent.click(send);
    expect(box.value).toBe("");
    fireEvent.input(box, { target: { value: "B" } });
    expect(send).toBeEnabled();
    fireEvent.click(send);
    expect(onSend.mock.calls.map((c) => c[0])).toEqual(["A", "B"]);
    pending[0]?.(true);
    fireEvent.input(box, { target: { value: "C" } });
    pending[1]?.(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(box.value).toBe("C");
  });

  it("puts the text back when the send fails and the box is still empty", async () => {
    let fail!: (ok: boolean) => void;
    const onSend = vi.fn(() => new Promise<boolean>((resolve) => (fail = resolve)));
    render(() => <Composer placeholder="Message" onSend={onSend} />);
    const box = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "lost?" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(box.value).toBe("");
    fail(false);
    await vi.waitFor(() => expect(box.value).toBe("lost?"));
  });

  it("shows the notice it is given above the box, as a status", () => {
    render(() => (
      <Composer
        placeholder="Message #demo"
        onSend={async () => true}
        notice="Demo agent is offline: messages wait here until it connects, then it answers them."
      />
    ));
    expect(screen.getByRole("status")).toHaveTextContent("Demo agent is offline");
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
