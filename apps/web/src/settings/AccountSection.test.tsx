import type { InviteInfo, RegistrationMode, SessionInfo } from "@botschat/protocol";
import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { createResource } from "solid-js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { relayApi } from "../api/relayApi.js";
import { AccountSection } from "./AccountSection.js";

const ACCOUNT = { userId: "u_1", email: "anna@example.org", token: "bc_ses_here" };
const session = (id: string, current = false): SessionInfo => ({ id, label: "Chrome on Linux", createdAt: 1, lastUsedAt: null, current });
const healthSays = (registration: RegistrationMode) =>
  vi.spyOn(relayApi, "health").mockResolvedValue({ ok: true, value: { ok: true, version: "1", registration } });

let sessions: SessionInfo[];
let invites: InviteInfo[];
beforeEach(() => {
  vi.restoreAllMocks();
  sessions = [session("d_here", true), session("d_phone"), session("d_laptop")];
  invites = [];
  healthSays("open");
  vi.spyOn(relayApi, "listSessions").mockImplementation(async () => ({ ok: true, value: sessions }));
  vi.spyOn(relayApi, "listInvites").mockImplementation(async () => ({ ok: true, value: invites }));
});

/** The section as the settings page gives it: the sessions counted from the relay, counted again when they change. */
function openSection(onDeleteAccount: (password: string) => Promise<string | undefined> = async () => undefined) {
  return render(() => {
    const [list, { refetch }] = createResource(async () => {
      const r = await relayApi.listSessions(ACCOUNT.token);
      return r.ok ? r.value : undefined;
    });
    const [health] = createResource(async () => {
      const r = await relayApi.health();
      return r.ok ? r.value.registration : undefined;
    });
    return (
      <AccountSection
        account={ACCOUNT}
        otherSessions={list()?.filter((s) => !s.current).length}
        registration={health()}
        onSessionsChanged={() => void refetch()}
        onDeleteAccount={onDeleteAccount}
      />
    );
  });
}

function fillPasswords(current: string, next: string, confirm = next): void {
  fireEvent.input(screen.getByLabelText("Current password"), { target: { value: current } });
  fireEvent.input(screen.getByLabelText("New password"), { target: { value: next } });
  fireEvent.input(screen.getByLabelText("Confirm new password"), { target: { value: confirm } });
  fireEvent.click(screen.getByRole("button", { name: "Change password" }));
}

describe("Settings › Account", () => {
  it("shows the account's email and how many other sessions are signed in", async () => {
    openSection();
    expect(screen.getByRole("region", { name: "Account" })).toHaveTextContent("Signed in as anna@example.org");
    expect(await screen.findByText("2 other sessions signed in to this account (browsers and devices).")).toBeInTheDocument();
  });

  it("refuses a new password that is short or not confirmed, without asking the relay", async () => {
    const change = vi.spyOn(relayApi, "changePassword");
    openSection();
    fillPasswords("the old password", "short");
    expect(await screen.findByRole("alert")).toHaveTextContent("The new password needs at least 8 characters.");
    fillPasswords("the old password", "a long new password", "a long new passwort");
    expect(await screen.findByRole("alert")).toHaveTextContent("The new passwords do not match.");
    expect(change).not.toHaveBeenCalled();
  });

  it("shows the relay's answer to a wrong current password inline, and keeps what was typed", async () => {
    vi.spyOn(relayApi, "changePassword").mockResolvedValue({ ok: false, code: "unauthorized", message: "The current password is wrong.", status: 401 });
    openSection();
    fillPasswords("not it", "a long new password");
    expect(await screen.findByRole("alert")).toHaveTextContent("The current password is wrong.");
    expect(screen.getByLabelText("New password")).toHaveValue("a long new password");
  });

  it("changes the password, says so, clears the fields and counts the sessions again (none left but this one)", async () => {
    const change = vi.spyOn(relayApi, "changePassword").mockImplementation(async () => {
      sessions = [session("d_here", true)];
      return { ok: true, value: undefined };
    });
    openSection();
    await screen.findByText(/^2 other sessions/);
    fillPasswords("the old password", "a long new password");
    expect(await screen.findByRole("status")).toHaveTextContent("Password changed. Every other session was signed out; this device stays signed in.");
    expect(change).toHaveBeenCalledWith("bc_ses_here", "the old password", "a long new password");
    expect(screen.getByLabelText("Current password")).toHaveValue("");
    expect(await screen.findByText("No other session is signed in to this account.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out other sessions" })).toBeDisabled();
  });

  it("signs out the other sessions only after a confirmation that names how many, then says it is done", async () => {
    const logoutOthers = vi.spyOn(relayApi, "logoutOthers").mockImplementation(async () => {
      sessions = [session("d_here", true)];
      return { ok: true, value: undefined };
    });
    openSection();
    await screen.findByText(/^2 other sessions/);
    fireEvent.click(screen.getByRole("button", { name: "Sign out other sessions" }));
    const confirm = screen.getByRole("group", { name: "Confirm signing out other sessions" });
    expect(confirm).toHaveTextContent("Sign out 2 other sessions? They need the password to sign in again. Agents stay connected.");
    expect(logoutOthers).not.toHaveBeenCalled();
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("group", { name: "Confirm signing out other sessions" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Sign out other sessions" }));
    fireEvent.click(screen.getByRole("button", { name: "Sign out 2 other sessions" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Signed out 2 other sessions.");
    expect(logoutOthers).toHaveBeenCalledWith("bc_ses_here");
    expect(await screen.findByText("No other session is signed in to this account.")).toBeInTheDocument();
  });

  it("has no invite codes section unless the relay's registration is by invitation", async () => {
    openSection();
    await screen.findByText(/^2 other sessions/);
    await vi.waitFor(() => expect(relayApi.health).toHaveBeenCalled());
    expect(screen.queryByRole("heading", { name: "Invite codes" })).toBeNull();
    expect(relayApi.listInvites).not.toHaveBeenCalled();
  });

  it("on an invite relay, makes a code shown once with a Copy button, lists the waiting ones and revokes them", async () => {
    healthSays("invite");
    invites = [{ id: "i_old", label: "for Bob", createdAt: 1, expiresAt: Date.UTC(2030, 0, 8) }];
    const create = vi.spyOn(relayApi, "createInvite").mockImplementation(async (_token, label) => {
      const made = { id: "i_new", label, createdAt: 2, expiresAt: Date.UTC(2030, 0, 9) };
      invites = [...invites, made];
      return { ok: true, value: { ...made, code: "bc_inv_the_new_code" } };
    });
    const revoke = vi.spyOn(relayApi, "deleteInvite").mockImplementation(async (_token, id) => {
      invites = invites.filter((i) => i.id !== id);
      return { ok: true, value: undefined };
    });
    openSection();
    expect(await screen.findByRole("heading", { name: "Invite codes" })).toBeInTheDocument();
    const list = screen.getByRole("list", { name: "Invite codes waiting to be used" });
    expect(await within(list).findByText("for Bob")).toBeInTheDocument();
    expect(list).toHaveTextContent(/expires/);

    fireEvent.input(screen.getByLabelText("Label (optional)"), { target: { value: "for Carol" } });
    fireEvent.click(screen.getByRole("button", { name: "Create invite code" }));
    expect(await screen.findByLabelText("invite code")).toHaveTextContent("bc_inv_the_new_code");
    expect(screen.getByText(/the code is shown only once/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy invite code" })).toBeInTheDocument();
    expect(create).toHaveBeenCalledWith("bc_ses_here", "for Carol");
    expect(await within(list).findByText("for Carol")).toBeInTheDocument();
    expect(list).not.toHaveTextContent("bc_inv_");

    fireEvent.click(within(list).getByRole("button", { name: "Revoke for Carol" }));
    await vi.waitFor(() => expect(within(list).queryByText("for Carol")).toBeNull());
    expect(revoke).toHaveBeenCalledWith("bc_ses_here", "i_new");
    // The code of a revoked invite is no longer offered for copying.
    expect(screen.queryByLabelText("invite code")).toBeNull();
    expect(within(list).getByText("for Bob")).toBeInTheDocument();
  });

  it("says why an invite code could not be made", async () => {
    healthSays("invite");
    vi.spyOn(relayApi, "createInvite").mockResolvedValue({
      ok: false,
      code: "conflict",
      message: "At most 20 invite codes may wait to be used at once: revoke one first.",
      status: 409,
    });
    openSection();
    fireEvent.click(await screen.findByRole("button", { name: "Create invite code" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("At most 20 invite codes may wait to be used at once: revoke one first.");
    expect(screen.queryByLabelText("invite code")).toBeNull();
  });
  it("deletes the account only after the password and then a confirm, and shows why it did not", async () => {
    const onDelete = vi.fn(async (password: string) => (password === "right one" ? undefined : "The password is wrong."));
    openSection(onDelete);
    const form = screen.getByRole("form", { name: "Delete account" });
    fireEvent.click(within(form).getByRole("button", { name: "Delete account…" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Enter your password to delete the account.");
    expect(screen.queryByRole("dialog")).toBeNull();

    fireEvent.input(within(form).getByLabelText("Password"), { target: { value: "not it" } });
    fireEvent.click(within(form).getByRole("button", { name: "Delete account…" }));
    const confirm = screen.getByRole("dialog", { name: "Delete your account?" });
    expect(confirm).toHaveTextContent("anna@example.org and everything stored for it are deleted");
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(onDelete).not.toHaveBeenCalled();

    fireEvent.click(within(form).getByRole("button", { name: "Delete account…" }));
    fireEvent.click(within(screen.getByRole("dialog", { name: "Delete your account?" })).getByRole("button", { name: "Delete account" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The password is wrong.");
    expect(onDelete).toHaveBeenCalledWith("not it");

    fireEvent.input(within(form).getByLabelText("Password"), { target: { value: "right one" } });
    fireEvent.click(within(form).getByRole("button", { name: "Delete account…" }));
    fireEvent.click(within(screen.getByRole("dialog", { name: "Delete your account?" })).getByRole("button", { name: "Delete account" }));
    await vi.waitFor(() => expect(onDelete).toHaveBeenLastCalledWith("right one"));
  });
});
