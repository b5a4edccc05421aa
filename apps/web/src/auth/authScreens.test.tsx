import type { RegistrationMode } from "@botschat/protocol";
import { fireEvent, render, screen } from "@solidjs/testing-library";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { relayApi } from "../api/relayApi.js";
import { AuthScreen } from "./AuthScreen.js";
import { PassphraseScreen } from "./PassphraseScreen.js";

const healthSays = (registration: RegistrationMode) =>
  vi.spyOn(relayApi, "health").mockResolvedValue({ ok: true, value: { ok: true, version: "1", registration } });

beforeEach(() => {
  vi.restoreAllMocks();
  healthSays("open");
});

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

  it("checks the strength of a passphrase submitted before the checker has shown it", async () => {
    const onSubmit = vi.fn(async () => undefined);
    render(() => <PassphraseScreen mode="create" email="ben@example.org" onSubmit={onSubmit} onSignOut={() => {}} />);
    fireEvent.input(screen.getByLabelText("Passphrase"), { target: { value: "password123" } });
    fireEvent.input(screen.getByLabelText("Confirm passphrase"), { target: { value: "password123" } });
    // At once: no strength is on screen yet.
    expect(screen.queryByText(/^Strength:/)).toBeNull();
    fireEvent.submit(screen.getByRole("button", { name: "Create passphrase" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/very weak: it could be guessed/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe("sign-up by the relay's registration mode (docs/protocol.md N22)", () => {
  const signedIn = { userId: "u_1", token: "bc_ses_new" };

  it("on an open relay, the sign-up form has no invite code field and registers with email and password", async () => {
    const register = vi.spyOn(relayApi, "register").mockResolvedValue({ ok: true, value: signedIn });
    const onSignedIn = vi.fn();
    render(() => <AuthScreen onSignedIn={onSignedIn} />);
    await vi.waitFor(() => expect(relayApi.health).toHaveBeenCalled());
    fireEvent.click(screen.getByRole("button", { name: "Create an account" }));
    expect(screen.queryByLabelText("Invite code")).toBeNull();
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "a@example.org" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "long enough" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create account" }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith({ ...signedIn, email: "a@example.org" }, true, "long enough"));
    expect(register).toHaveBeenCalledWith("a@example.org", "long enough", undefined);
  });

  it("on an invite relay, the sign-up form asks for the invite code, requires it, and sends it trimmed", async () => {
    healthSays("invite");
    const register = vi.spyOn(relayApi, "register").mockResolvedValue({ ok: true, value: signedIn });
    const onSignedIn = vi.fn();
    render(() => <AuthScreen onSignedIn={onSignedIn} />);
    fireEvent.click(screen.getByRole("button", { name: "Create an account" }));
    const code = await screen.findByLabelText("Invite code");
    expect(code).toBeRequired();
    expect(code).toHaveAccessibleDescription(/by invitation/);
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "a@example.org" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "long enough" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter the invite code someone with an account on this relay gave you.");
    expect(register).not.toHaveBeenCalled();

    fireEvent.input(code, { target: { value: "  bc_inv_code  " } });
    fireEvent.submit(screen.getByRole("button", { name: "Create account" }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(register).toHaveBeenCalledWith("a@example.org", "long enough", "bc_inv_code");
    // Signing in needs no code.
    fireEvent.click(screen.getByRole("button", { name: "Sign in instead" }));
    expect(screen.queryByLabelText("Invite code")).toBeNull();
  });

  it("on an invite relay, a refused code shows the relay's sentence", async () => {
    healthSays("invite");
    const message = "This invite code is not valid: it may be used, revoked or expired.";
    vi.spyOn(relayApi, "register").mockResolvedValue({ ok: false, code: "forbidden", message, status: 403 });
    const onSignedIn = vi.fn();
    render(() => <AuthScreen onSignedIn={onSignedIn} />);
    fireEvent.click(screen.getByRole("button", { name: "Create an account" }));
    fireEvent.input(await screen.findByLabelText("Invite code"), { target: { value: "bc_inv_used" } });
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "a@example.org" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "long enough" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(message);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("on a closed relay, there is no way to create an account, a sentence says why, and signing in still works", async () => {
    healthSays("closed");
    vi.spyOn(relayApi, "login").mockResolvedValue({ ok: true, value: signedIn });
    const onSignedIn = vi.fn();
    render(() => <AuthScreen onSignedIn={onSignedIn} />);
    expect(await screen.findByText("Registration is closed on this relay: only existing accounts can sign in.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create an account" })).toBeNull();
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "a@example.org" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "the password" } });
    fireEvent.submit(screen.getByRole("button", { name: "Sign in" }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith({ ...signedIn, email: "a@example.org" }, false, "the password"));
  });
});
