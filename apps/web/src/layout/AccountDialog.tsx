import { PASSWORD_MIN, type RegistrationMode } from "@botschat/protocol";
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { type Account, type CreateInviteResponse, relayApi } from "../api/relayApi.js";
import { Dialog } from "../ui/Dialog.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { CopyCommand } from "./dialogs.js";
import { NotificationSetting } from "../unread/NotificationSetting.js";

const sessionsWord = (n: number): string => `${n} other ${n === 1 ? "session" : "sessions"}`;
const when = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A sentence that a form's action succeeded, announced without taking the focus. */
function OkNote(props: { message: string | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      <p class="ok-text" role="status">
        {props.message}
      </p>
    </Show>
  );
}

/**
 * The Account dialog: the email, changing the password, signing out the other sessions, reply
 * notifications on this device, and, on a relay whose registration is by invitation, the invite
 * codes (docs/protocol.md N21, N22).
 */
export function AccountDialog(props: { account: Account; onClose: () => void }): JSX.Element {
  const [sessions, { refetch: refetchSessions }] = createResource(async () => {
    const r = await relayApi.listSessions(props.account.token);
    return r.ok ? r.value : undefined;
  });
  const [registration] = createResource(async (): Promise<RegistrationMode | undefined> => {
    const r = await relayApi.health();
    return r.ok ? r.value.registration : undefined;
  });
  const others = (): number | undefined => sessions()?.filter((s) => !s.current).length;
  return (
    <Dialog title="Account" onClose={props.onClose}>
      <p>
        Signed in as <strong class="account-email">{props.account.email}</strong>
      </p>
      <ChangePassword account={props.account} onChanged={() => void refetchSessions()} />
      <OtherSessions token={props.account.token} count={others()} onSignedOut={() => void refetchSessions()} />
      <NotificationSetting />
      <Show when={registration() === "invite"}>
        <InviteCodes token={props.account.token} />
      </Show>
      <div class="dialog-actions account-foot">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

/** Current, new and confirmed password; on success this device stays signed in, the others are signed out. */
function ChangePassword(props: { account: Account; onChanged: () => void }): JSX.Element {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [confirm, setConfirm] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    if (current() === "") return void setError("Enter your current password.");
    if (next().length < PASSWORD_MIN) return void setError(`The new password needs at least ${PASSWORD_MIN} characters.`);
    if (next() !== confirm()) return void setError("The new passwords do not match.");
    if (next() === current()) return void setError("The new password is the same as the current one.");
    setBusy(true);
    const r = await relayApi.changePassword(props.account.token, current(), next());
    setBusy(false);
    if (!r.ok) return void setError(r.message);
    setCurrent("");
    setNext("");
    setConfirm("");
    setDone("Password changed. Every other session was signed out; this device stays signed in.");
    props.onChanged();
  };
  return (
    // noValidate: every problem is said inline, in the dialog's words, rather than in a browser bubble.
    <form class="account-section" aria-labelledby="account-password" noValidate onSubmit={(e) => void submit(e)}>
      <h3 id="account-password">Change password</h3>
      {/* For password managers: the account the new password belongs to (Chromium's "hidden username field"). */}
      <input type="email" name="username" autocomplete="username" value={props.account.email} readOnly hidden />
      <label class="field">
        <span>Current password</span>
        <input
          class="input"
          type="password"
          autocomplete="current-password"
          required
          value={current()}
          onInput={(e) => setCurrent(e.currentTarget.value)}
          data-autofocus
        />
      </label>
      <label class="field">
        <span>New password</span>
        <input
          class="input"
          type="password"
          autocomplete="new-password"
          required
          minLength={PASSWORD_MIN}
          value={next()}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>Confirm new password</span>
        <input class="input" type="password" autocomplete="new-password" required value={confirm()} onInput={(e) => setConfirm(e.currentTarget.value)} />
      </label>
      <ErrorNote message={error()} />
      <OkNote message={done()} />
      <div class="account-actions">
        <button type="submit" class="btn primary" disabled={busy()}>
          Change password
        </button>
      </div>
    </form>
  );
}

/** How many other sessions are signed in, and signing them all out after a confirmation. */
function OtherSessions(props: { token: string; count: number | undefined; onSignedOut: () => void }): JSX.Element {
  const [confirming, setConfirming] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const signOutOthers = async (): Promise<void> => {
    const n = props.count ?? 0;
    setBusy(true);
    const r = await relayApi.logoutOthers(props.token);
    setBusy(false);
    setConfirming(false);
    if (!r.ok) return void setError(r.message);
    setDone(`Signed out ${sessionsWord(n)}.`);
    props.onSignedOut();
  };
  return (
    <section class="account-section" aria-labelledby="account-sessions">
      <h3 id="account-sessions">Other sessions</h3>
      <p>
        <Show when={props.count !== undefined} fallback="Counting the sessions signed in to this account…">
          {props.count === 0
            ? "No other session is signed in to this account."
            : `${sessionsWord(props.count!)} signed in to this account (browsers and devices).`}
        </Show>
      </p>
      <ErrorNote message={error()} />
      <OkNote message={done()} />
      <Show
        when={confirming()}
        fallback={
          <div class="account-actions">
            <button
              type="button"
              class="btn"
              disabled={(props.count ?? 0) === 0}
              onClick={() => {
                setDone(undefined);
                setError(undefined);
                setConfirming(true);
              }}
            >
              Sign out other sessions
            </button>
          </div>
        }
      >
        <div class="account-confirm" role="group" aria-label="Confirm signing out other sessions">
          <p>Sign out {sessionsWord(props.count ?? 0)}? They need the password to sign in again. Agents stay connected.</p>
          <div class="account-actions">
            {/* The focus starts on Cancel, so an Enter pressed by habit signs nobody out (as ConfirmDialog does). */}
            <button type="button" class="btn" ref={(el) => queueMicrotask(() => el.focus())} onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" class="btn danger" disabled={busy()} onClick={() => void signOutOthers()}>
              Sign out {sessionsWord(props.count ?? 0)}
            </button>
          </div>
        </div>
      </Show>
    </section>
  );
}

/** Invite codes: make one (shown once, with a Copy button), list those waiting to be used, revoke. */
function InviteCodes(props: { token: string }): JSX.Element {
  const [label, setLabel] = createSignal("");
  const [created, setCreated] = createSignal<CreateInviteResponse>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [list, { refetch }] = createResource(async () => {
    const r = await relayApi.listInvites(props.token);
    return r.ok ? r.value : [];
  });
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const r = await relayApi.createInvite(props.token, label().trim());
    setBusy(false);
    if (!r.ok) return void setError(r.message);
    setCreated(r.value);
    setLabel("");
    void refetch();
  };
  const revoke = async (id: string): Promise<void> => {
    setError(undefined);
    const r = await relayApi.deleteInvite(props.token, id);
    if (!r.ok && r.status !== 404) return void setError(r.message);
    if (created()?.id === id) setCreated(undefined);
    void refetch();
  };
  return (
    <section class="account-section" aria-labelledby="account-invites">
      <h3 id="account-invites">Invite codes</h3>
      <p>Registration on this relay is by invitation. A code lets one person create an account; it works for 7 days.</p>
      <form class="account-invite-form" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>Label (optional)</span>
          <input class="input" maxLength={64} placeholder="Who it is for" value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn primary" disabled={busy()}>
          Create invite code
        </button>
      </form>
      <ErrorNote message={error()} />
      <Show when={created()}>
        {(c) => (
          // Brought into view: on a phone the dialog scrolls, and the code is what the person came for.
          <div class="account-invite-created" ref={(el) => queueMicrotask(() => el.scrollIntoView?.({ block: "nearest" }))}>
            <div class="warning">Copy it now: the code is shown only once. Send it to the person you invite.</div>
            <CopyCommand label="invite code" text={c().code} />
          </div>
        )}
      </Show>
      <ul class="token-list" aria-label="Invite codes waiting to be used">
        <For each={list() ?? []} fallback={<li class="hint">No invite code is waiting to be used.</li>}>
          {(i) => (
            <li>
              <span class="label">{i.label || "No label"}</span>
              <span class="hint">expires {when(i.expiresAt)}</span>
              <button
                type="button"
                class="btn small"
                aria-label={`Revoke ${i.label || `the invite code made ${when(i.createdAt)}`}`}
                onClick={() => void revoke(i.id)}
              >
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
