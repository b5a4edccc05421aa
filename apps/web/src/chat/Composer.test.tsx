import { fireEvent, render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { commandOptions } from "./commandCompletion.js";
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

  describe("the / completion", () => {
    const commands = commandOptions({
      models: [
        { id: "demo/fast", name: "Demo Fast" },
        { id: "demo/smart", name: "Demo Smart" },
      ],
    });
    function withCommands() {
      const onSend = vi.fn(async () => true);
      render(() => <Composer placeholder="Message" onSend={onSend} commands={commands} />);
      const box = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
      const type = (value: string) => fireEvent.input(box, { target: { value } });
      const options = () => screen.queryByRole("listbox", { name: "Commands" })?.querySelectorAll("[role=option]") ?? [];
      return { onSend, box, type, options };
    }

    it("opens on / with every command, each with a line about it, and filters by what follows", () => {
      const { box, type, options } = withCommands();
      expect(box).toHaveAttribute("aria-expanded", "false");
      type("/");
      expect([...options()].map((o) => o.querySelector(".command-text")!.textContent)).toEqual([
        "/help",
        "/model",
        "/model demo/fast",
        "/model demo/smart",
        "/skills",
      ]);
      expect(options()[2]!.textContent).toBe("/model demo/fastSwitches this session to Demo Fast.");
      const list = screen.getByRole("listbox", { name: "Commands" });
      expect(box).toHaveAttribute("aria-expanded", "true");
      expect(box).toHaveAttribute("aria-controls", list.id);
      expect(box).toHaveAttribute("aria-activedescendant", options()[0]!.id);
      type("/sk");
      expect(options()).toHaveLength(1);
      type("hello");
      expect(screen.queryByRole("listbox")).toBeNull();
      expect(box).not.toHaveAttribute("aria-activedescendant");
    });

    it("↓ and ↑ move the choice (round the ends); Enter completes it, and Enter again sends it", async () => {
      const { box, type, options, onSend } = withCommands();
      type("/mo");
      fireEvent.keyDown(box, { key: "ArrowDown" });
      fireEvent.keyDown(box, { key: "ArrowDown" });
      expect(box).toHaveAttribute("aria-activedescendant", options()[2]!.id);
      expect(options()[2]).toHaveAttribute("aria-selected", "true");
      fireEvent.keyDown(box, { key: "ArrowUp" });
      fireEvent.keyDown(box, { key: "ArrowUp" });
      fireEvent.keyDown(box, { key: "ArrowUp" });
      expect(options()[2]).toHaveAttribute("aria-selected", "true");
      fireEvent.keyDown(box, { key: "Enter" });
      expect(box.value).toBe("/model demo/smart");
      expect(screen.queryByRole("listbox")).toBeNull();
      expect(onSend).not.toHaveBeenCalled();
      fireEvent.keyDown(box, { key: "Enter" });
      await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith("/model demo/smart", []));
    });

    it("Tab completes; Enter on a command typed out in full sends it at once", async () => {
      const { box, type, onSend } = withCommands();
      type("/he");
      fireEvent.keyDown(box, { key: "Tab" });
      expect(box.value).toBe("/help");
      type("/skills");
      expect(screen.getByRole("listbox", { name: "Commands" })).toBeInTheDocument();
      fireEvent.keyDown(box, { key: "Enter" });
      await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith("/skills", []));
    });

    it("Escape closes the list (and only the list) until the text changes; a click picks an option", () => {
      const { box, type, options } = withCommands();
      // What else listens for Escape (a panel that closes) sees it taken.
      const taken: boolean[] = [];
      const outer = (e: KeyboardEvent) => taken.push(e.defaultPrevented);
      document.addEventListener("keydown", outer);
      type("/");
      fireEvent.keyDown(box, { key: "Escape" });
      expect(screen.queryByRole("listbox")).toBeNull();
      expect(taken).toEqual([true]);
      document.removeEventListener("keydown", outer);
      type("/m");
      expect(options().length).toBeGreaterThan(0);
      fireEvent.click(options()[1]!);
      expect(box.value).toBe("/model demo/fast");
    });

    it("the command bar sends a frequent command at a tap and leaves what is typed alone; no bar without any", async () => {
      const onSend = vi.fn(async () => true);
      const { unmount } = render(() => <Composer placeholder="Message" onSend={onSend} frequent={[]} />);
      expect(screen.queryByRole("group", { name: "Frequent commands" })).toBeNull();
      unmount();
      render(() => <Composer placeholder="Message" onSend={onSend} frequent={["/help", "/model demo/fast"]} />);
      const bar = screen.getByRole("group", { name: "Frequent commands" });
      expect([...bar.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["/help", "/model demo/fast"]);
      const box = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
      fireEvent.input(box, { target: { value: "a draft" } });
      fireEvent.click(screen.getByRole("button", { name: "/model demo/fast" }));
      await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith("/model demo/fast", []));
      expect(box.value).toBe("a draft");
    });
  });
});
