import { fireEvent, render, screen } from "@solidjs/testing-library";
import { describe, expect, it, vi } from "vitest";
import { AuthScreen } from "./AuthScreen.js";
import { PassphraseScreen } from "./PassphraseScreen.js";

describe("sign-in and passphrase screens", () => {
  it("a new account with a short password is refused with an alert, under the BotsChat brand", async () => {
    const onSignedIn = vi.fn();
    render(() => <AuthScreen onSignedIn={onSignedIn} />);
    expect(screen.getByText("BotsChat")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Create an account" }));
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "a@example.org" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "short" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The password needs at least 8 characters.");
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("passphrases that do not match are refused with an alert; a wrong one shows what the check answered", async () => {
    const onSubmit = vi.fn(async () => "Wrong passphrase. Try again.");
    const { unmount } = render(() => <PassphraseScreen mode="create" email="a@example.org" onSubmit={onSubmit} onSignOut={() => {}} />);
    expect(screen.getByText("BotsChat")).toBeInTheDocument();
    fireEvent.input(screen.getByLabelText("Passphrase"), { target: { value: "long enough one" } });
    fireEvent.input(screen.getByLabelText("Confirm passphrase"), { target: { value: "long enough two" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create passphrase" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The passphrases do not match.");
    expect(onSubmit).not.toHaveBeenCalled();
    unmount();

    render(() => <PassphraseScreen mode="unlock" email="a@example.org" onSubmit={onSubmit} onSignOut={() => {}} />);
    fireEvent.input(screen.getByLabelText("Passphrase"), { target: { value: "not it" } });
    fireEvent.submit(screen.getByRole("button", { name: "Unlock" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong passphrase. Try again.");
    expect(onSubmit).toHaveBeenCalledWith("not it", false);
  });
});
