import type { ActionBlockInput, MessageView } from "@botschat/model";
import { fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { describe, expect, it, vi } from "vitest";
import { ActionBlocks } from "./ActionBlocks.js";

const radio: ActionBlockInput = {
  kind: "radio",
  id: "format",
  prompt: "Which format?",
  options: [
    { value: "short", label: "Summary", description: "One paragraph." },
    { value: "long", label: "Full report" },
  ],
};
const cards: ActionBlockInput = {
  kind: "cards",
  id: "plan",
  prompt: "Pick a plan",
  cards: [
    { value: "starter", title: "Starter", description: "For one", image: "data:image/png;base64,iVBORw0KGgo=", imageAlt: "A seedling" },
    { value: "team", title: "Team" },
  ],
};
const form: ActionBlockInput = {
  kind: "form",
  id: "project",
  prompt: "New project",
  fields: [
    { type: "text", name: "name", label: "Name", required: true },
    { type: "number", name: "size", label: "Team size", min: 1, max: 9 },
    { type: "select", name: "region", label: "Region", options: [{ value: "eu", label: "Europe" }] },
    { type: "checkbox", name: "public", label: "Public" },
  ],
};

/** Renders a message with `actions`; `choose` records the first choice on it, as the op does. */
function setup(actions: unknown[]) {
  const [message, setMessage] = createSignal({ id: "m1", role: "agent", text: "Hi", actions } as unknown as MessageView);
  const choose = vi.fn((block: string, value: string, label?: string) => {
    setMessage((m) => ({ ...m, chosen: { block, value, label: label ?? value, by: "d", at: 1, answer: "a" } }) as MessageView);
    return Promise.resolve(true);
  });
  render(() => <ActionBlocks message={message()} onChoose={choose} />);
  const chosen = (value: string, label: string, block: string): void => {
    setMessage((m) => ({ ...m, chosen: { block, value, label, by: "d2", at: 2, answer: "a" } }) as MessageView);
  };
  return { choose, chosen };
}

describe("ActionBlocks", () => {
  it("a radio group is a named radiogroup whose choice is sent with its button, then shown chosen and disabled", async () => {
    const { choose } = setup([radio]);
    const group = screen.getByRole("radiogroup", { name: "Which format?" });
    const send = screen.getByRole("button", { name: "Choose" });
    expect(send).toBeDisabled();
    const full = screen.getByRole("radio", { name: "Full report" });
    expect(screen.getByRole("radio", { name: "Summary" })).toHaveAccessibleDescription("One paragraph.");
    fireEvent.click(full);
    expect(send).toBeEnabled();
    fireEvent.submit(send.closest("form")!);
    expect(choose).toHaveBeenCalledWith("format", "long");
    await waitFor(() => expect(full).toBeDisabled());
    expect(full).toBeChecked();
    expect(group).toHaveAttribute("disabled");
    expect(screen.getByRole("status")).toHaveTextContent("Chosen: long");
    expect(screen.queryByRole("button", { name: "Choose" })).toBeNull();
  });

  it("a card is a button named by its title that chooses at once; its picture is lazy, sends no referrer and has its words", async () => {
    const { choose } = setup([cards]);
    const team = screen.getByRole("button", { name: "Team" });
    const starter = screen.getByRole("button", { name: "Starter" });
    expect(starter).toHaveAccessibleDescription("For one A seedling");
    const img = screen.getByRole("img", { name: "A seedling" });
    expect(img).toHaveAttribute("src", "data:image/png;base64,iVBORw0KGgo=");
    expect(img).toHaveAttribute("loading", "lazy");
    expect(img).toHaveAttribute("referrerpolicy", "no-referrer");
    fireEvent.click(team);
    expect(choose).toHaveBeenCalledWith("plan", "team");
    await waitFor(() => expect(team).toBeDisabled());
    expect(team).toHaveAttribute("aria-pressed", "true");
    expect(starter).toHaveAttribute("aria-pressed", "false");
  });

  it("several cards are ticked and sent together as one JSON value", () => {
    const { choose } = setup([{ ...cards, multiple: true, submitLabel: "Add" }]);
    const add = screen.getByRole("button", { name: "Add" });
    expect(add).toBeDisabled();
    fireEvent.click(screen.getByRole("checkbox", { name: "Team" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Starter" }));
    fireEvent.submit(add.closest("form")!);
    expect(choose).toHaveBeenCalledWith("plan", '["starter","team"]');
  });

  it("shows a choice made on another device: the chosen card marked, every card disabled", () => {
    const { chosen } = setup([{ ...cards, multiple: true }]);
    chosen('["team"]', "Team", "plan");
    expect(screen.getByRole("checkbox", { name: "Team" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Team" })).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: "Starter" })).not.toBeChecked();
    expect(screen.getByRole("status")).toHaveTextContent("Chosen: Team");
  });

  it("a form says what is wrong with each field, and sends all its values as one answer", async () => {
    const { choose } = setup([form]);
    const send = screen.getByRole("button", { name: "Send" });
    fireEvent.input(screen.getByRole("spinbutton", { name: "Team size" }), { target: { value: "12" } });
    fireEvent.submit(send.closest("form")!);
    expect(choose).not.toHaveBeenCalled();
    const name = screen.getByRole("textbox", { name: "Name" });
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription("Required.");
    expect(name).toHaveFocus();
    expect(screen.getByRole("spinbutton", { name: "Team size" })).toHaveAccessibleDescription("At most 9.");

    fireEvent.input(name, { target: { value: "Apollo" } });
    fireEvent.input(screen.getByRole("spinbutton", { name: "Team size" }), { target: { value: "3" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Region" }), { target: { value: "eu" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Public" }));
    fireEvent.submit(send.closest("form")!);
    expect(choose).toHaveBeenCalledWith("project", '{"name":"Apollo","size":3,"region":"eu","public":true}');
    await waitFor(() => expect(name).toBeDisabled());
    expect(name).toHaveValue("Apollo");
    expect(screen.getByRole("spinbutton", { name: "Team size" })).toHaveValue(3);
    expect(screen.getByRole("status")).toHaveTextContent("Sent");
  });

  it("shows a block that is not valid as its words, as text, and never as HTML", () => {
    setup([{ kind: "cards", id: "x", prompt: "<b>Pick</b>", cards: [{ title: "<img src=x onerror=alert(1)>" }] }, radio]);
    const text = screen.getByText(/Pick/);
    expect(text.tagName).toBe("P");
    expect(text.textContent).toBe("<b>Pick</b>\n- <img src=x onerror=alert(1)>");
    expect(document.querySelector("b, img")).toBeNull();
    expect(screen.getByRole("radiogroup", { name: "Which format?" })).toBeInTheDocument();
  });

  it("says Answered on the other blocks of a message once one was answered", () => {
    const { chosen } = setup([radio, form]);
    chosen("short", "Summary", "format");
    expect(screen.getByText("Answered.")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Name" })).toBeNull();
  });
});
