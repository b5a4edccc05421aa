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
    fireEvent.input(screen.getByLabelText("Passphrase"), { target: { value: "orbit velvet lantern quarry" } });
    fireEvent.input(screen.getByLabelText("Confirm passphrase"), { target: { value: "orbit velvet lantern quarry!" } });
    await screen.findByText(/^Strength: /);
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

  it("a new passphrase that is the account password, or easy to guess, is refused; a strong one shows as strong", async () => {
    const onSubmit = vi.fn(async () => undefined);
    render(() => <PassphraseScreen mode="create" email="anna@example.org" accountPassword="my account password" onSubmit={onSubmit} onSignOut={() => {}} />);
    const pass = screen.getByLabelText("Passphrase");
    const again = screen.getByLabelText("Confirm passphrase");
    // No password manager offers the account password in these fields.
    expect(pass).toHaveAttribute("autocomplete", "off");
    expect(pass).toHaveAttribute("name", "workspace-passphrase");

    fireEvent.input(pass, { target: { value: "my account password" } });
    fireEvent.input(again, { target: { value: "my account password" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create passphrase" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("not your account password");
    fireEvent.input(pass, { target: { value: "password123" } });
    fireEvent.input(again, { target: { value: "password123" } });
    await screen.findByText(/^Strength: very weak/);
    fireEvent.submit(screen.getByRole("button", { name: "Create passphrase" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/very weak: it could be guessed/);

    fireEvent.input(pass, { target: { value: "orbit velvet lantern quarry" } });
    fireEvent.input(again, { target: { value: "orbit velvet lantern quarry" } });
    await screen.findByText(/^Strength: (strong|very strong)/);
    fireEvent.submit(screen.getByRole("button", { name: "Create passphrase" }));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith("orbit velvet lantern quarry", false));
  });
});
