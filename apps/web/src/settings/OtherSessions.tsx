import { createSignal, type JSX, Show } from "solid-js";
import { relayApi } from "../api/relayApi.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { OkNote } from "../ui/OkNote.js";

const sessionsWord = (n: number): string => `${n} other ${n === 1 ? "session" : "sessions"}`;

/** How many other sessions are signed in, and signing them all out after a confirmation. */
export function OtherSessions(props: { token: string; count: number | undefined; onSignedOut: () => void }): JSX.Element {
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
      <h4 id="account-sessions">Other sessions</h4>
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
