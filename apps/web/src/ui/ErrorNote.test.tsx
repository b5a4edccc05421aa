import { render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { ErrorNote } from "./ErrorNote.js";

describe("ErrorNote", () => {
  it("announces the sentence as an alert while there is one, and draws nothing otherwise", () => {
    const [message, setMessage] = createSignal<string>();
    render(() => <ErrorNote message={message()} />);
    expect(screen.queryByRole("alert")).toBeNull();
    setMessage("Wrong passphrase. Try again.");
    expect(screen.getByRole("alert")).toHaveTextContent("Wrong passphrase. Try again.");
    setMessage(undefined);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
