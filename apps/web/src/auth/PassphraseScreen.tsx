import { createResource, createSignal, type JSX, Show } from "solid-js";
import { loadStrengthChecker, STRONG_ENOUGH, type Strength } from "./passphraseStrength.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { Brand } from "../ui/Brand.js";

/**
 * A passphrase field is not a login field: no browser or password manager (1Password, LastPass,
 * Bitwarden) may fill in, or save, the account password there — the relay sees that one.
 */
const NOT_A_LOGIN = { autocomplete: "off", "data-1p-ignore": "", "data-lpignore": "true", "data-bwignore": "" } as const;

/** What the passphrase step asks: a new passphrase (first device) or the existing one. */
export type PassphraseMode = "create" | "unlock";

/**
 * The passphrase step. "create" asks twice and warns that a lost passphrase means lost history;
 * "unlock" asks once. `onSubmit` answers an error sentence (e.g. "Wrong passphrase") or nothing.
 */
export function PassphraseScreen(props: {
  mode: PassphraseMode;
  email: string;
  /** The account password, when this page knows it (just typed to sign in or register): a passphrase must differ from it. */
  accountPassword?: string | undefined;
  error?: string;
  onSubmit: (passphrase: string, remember: boolean) => Promise<string | undefined>;
  onSignOut: () => void;
}): JSX.Element {
  const [pass, setPass] = createSignal("");
  const [confirm, setConfirm] = createSignal("");
  const [remember, setRemember] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>(props.error);
  const [busy, setBusy] = createSignal(false);
  const [check] = createResource(
    () => props.mode === "create",
    (create) => (create ? loadStrengthChecker() : undefined),
  );
  /** Words a guesser would try first for this person. */
  const userInputs = (): string[] => [props.email, ...props.email.split(/[@.]/), "botschat"];
  const strength = (): Strength | undefined => {
    const c = check();
    return c === undefined || pass() === "" ? undefined : c(pass(), userInputs());
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    if (props.mode === "create") {
      if (pass().length < 8) return void setError("Use at least 8 characters.");
      // The relay checks the account password: it must never learn the passphrase with it.
      if (props.accountPassword !== undefined && pass() === props.accountPassword) {
        return void setError("Use a passphrase that is not your account password: the server sees the password, never the passphrase.");
      }
      // Never skipped: a submit before the checker's chunk arrived waits for it.
      const c = await loadStrengthChecker().catch(() => undefined);
      if (c === undefined) return void setError("The passphrase's strength could not be checked. Check your connection and try again.");
      const s = c(pass(), userInputs());
      if (s.score < STRONG_ENOUGH) return void setError(`This passphrase is ${s.label}: it could be guessed. A few unrelated words make a strong one.`);
      if (pass() !== confirm()) return void setError("The passphrases do not match.");
    }
    setBusy(true);
    const err = await props.onSubmit(pass(), remember());
    setBusy(false);
    if (err !== undefined) setError(err);
  };

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="pass-title">
        <Brand />
        <Show when={props.mode === "create"}>
          <p class="step-of">Step 1 of 4 · then connect an agent, create a channel and say hello</p>
        </Show>
        <h1 id="pass-title">{props.mode === "create" ? "Set your passphrase" : "Unlock your workspace"}</h1>
        <p class="lead">
          {props.mode === "create"
            ? "Your passphrase encrypts everything in your workspace. Every device and agent you connect will need it."
            : `Enter the passphrase of ${props.email}'s workspace to read and write on this device.`}
        </p>
        <Show when={props.mode === "create"}>
          <div class="warning" role="note">
            <strong>Keep it safe.</strong> Nobody can reset it: if you lose your passphrase, your history is lost.
          </div>
        </Show>
        <label class="field">
          <span>Passphrase</span>
          <input
            class="input"
            type="password"
            name="workspace-passphrase"
            {...NOT_A_LOGIN}
            aria-describedby={props.mode === "create" ? "pass-strength" : undefined}
            required
            value={pass()}
            onInput={(e) => setPass(e.currentTarget.value)}
          />
        </label>
        <Show when={props.mode === "create"}>
          <div id="pass-strength" class="strength" aria-live="polite">
            <Show when={strength()} fallback={<span class="hint">A few unrelated words make a passphrase that is easy to type and hard to guess.</span>}>
              {(s) => (
                <>
                  <meter min="0" max="4" low="2" high="3" optimum="4" value={s().score} aria-hidden="true" />
                  <span class="hint">
                    Strength: {s().label}
                    {s().warning ? `. ${s().warning}` : ""}
                  </span>
                </>
              )}
            </Show>
          </div>
        </Show>
        <Show when={props.mode === "create"}>
          <label class="field">
            <span>Confirm passphrase</span>
            <input
              class="input"
              type="password"
              name="workspace-passphrase-again"
              {...NOT_A_LOGIN}
              required
              value={confirm()}
              onInput={(e) => setConfirm(e.currentTarget.value)}
            />
          </label>
        </Show>
        <label class="check">
          <input type="checkbox" checked={remember()} onChange={(e) => setRemember(e.currentTarget.checked)} />
          Remember on this device
        </label>
        <ErrorNote message={error()} />
        <button type="submit" class="btn primary" disabled={busy()} aria-busy={busy()}>
          {props.mode === "create" ? "Create passphrase" : "Unlock"}
        </button>
        <Show when={busy()}>
          <p class="hint" role="status">
            {props.mode === "create" ? "Creating your workspace keys…" : "Checking the passphrase…"}
          </p>
        </Show>
        <div class="auth-switch">
          Signed in as {props.email}.{" "}
          <button type="button" class="link-btn" onClick={() => props.onSignOut()}>
            Sign out
          </button>
        </div>
      </form>
    </main>
  );
}
