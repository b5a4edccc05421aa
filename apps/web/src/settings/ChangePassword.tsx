import { PASSWORD_MIN } from "@botschat/protocol";
import { createSignal, type JSX } from "solid-js";
import { type Account, relayApi } from "../api/relayApi.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { OkNote } from "../ui/OkNote.js";

/** Current, new and confirmed password; on success this device stays signed in, the others are signed out. */
export function ChangePassword(props: { account: Account; onChanged: () => void }): JSX.Element {
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
    // noValidate: every problem is said inline, in the page's words, rather than in a browser bubble.
    <form class="account-section" aria-labelledby="account-password" noValidate onSubmit={(e) => void submit(e)}>
      <h4 id="account-password">Change password</h4>
      {/* For password managers: the account the new password belongs to (Chromium's "hidden username field"). */}
      <input type="email" name="username" autocomplete="username" value={props.account.email} readOnly hidden />
      <label class="field">
        <span>Current password</span>
        <input class="input" type="password" autocomplete="current-password" required value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />
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
