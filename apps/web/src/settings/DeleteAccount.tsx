import { createSignal, type JSX, Show } from "solid-js";
import { ConfirmDialog } from "../ui/Dialog.js";
import { ErrorNote } from "../ui/ErrorNote.js";

/**
 * Deleting the account: the password first, then a confirm. `onDelete` answers why it failed (a
 * wrong password), or nothing once the account is gone (the app then signs out and wipes this
 * device's copy).
 */
export function DeleteAccount(props: { email: string; onDelete: (password: string) => Promise<string | undefined> }): JSX.Element {
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const submit = (e: Event): void => {
    e.preventDefault();
    setError(undefined);
    if (password() === "") return void setError("Enter your password to delete the account.");
    setConfirming(true);
  };
  const remove = async (): Promise<void> => {
    setBusy(true);
    const failed = await props.onDelete(password());
    setBusy(false);
    if (failed !== undefined) setError(failed);
  };
  return (
    <form class="account-section danger-zone" aria-labelledby="account-delete" noValidate onSubmit={submit}>
      <h4 id="account-delete">Delete account</h4>
      <p>
        Deletes the account, the encrypted workspace the relay keeps for it, its pairing tokens and this device's copy. Your other devices are signed out. This
        cannot be undone.
      </p>
      <input type="email" name="username" autocomplete="username" value={props.email} readOnly hidden />
      <label class="field">
        <span>Password</span>
        <input class="input" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <ErrorNote message={error()} />
      <div class="account-actions">
        <button type="submit" class="btn danger" disabled={busy()}>
          Delete account…
        </button>
      </div>
      <Show when={confirming()}>
        <ConfirmDialog
          title="Delete your account?"
          message={`${props.email} and everything stored for it are deleted on the relay and on this device, for good.`}
          confirmLabel="Delete account"
          danger
          onClose={() => setConfirming(false)}
          onConfirm={() => void remove()}
        />
      </Show>
    </form>
  );
}
