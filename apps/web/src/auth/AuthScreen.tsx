import { PASSWORD_MIN, type RegistrationMode } from "@botschat/protocol";
import { createSignal, type JSX, Show } from "solid-js";
import { type Account, relayApi } from "../api/relayApi.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { Brand } from "../ui/Brand.js";

/**
 * "Sign in" / "Create account": email and password against the relay's REST API. What the relay's
 * registration mode asks for (docs/protocol.md N22) shapes the second: an invite code, or no
 * sign-up at all on a closed relay. Until the relay has answered (or when it cannot be reached)
 * the form is the open one, and the relay's own answer to a sign-up says what is wrong.
 */
export function AuthScreen(props: {
  /** Signed in; `password` is what was typed (kept in memory only, so the passphrase step can refuse it). */
  onSignedIn: (account: Account, created: boolean, password: string) => void;
  /** Why this device is back at sign-in, when it was signed out from elsewhere. */
  notice?: string | undefined;
}): JSX.Element {
  const [mode, setMode] = createSignal<"signin" | "register">("signin");
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [invite, setInvite] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [registration, setRegistration] = createSignal<RegistrationMode>("open");
  // A plain promise rather than a resource: nothing here should wait (or suspend) for the answer.
  void relayApi.health().then((r) => {
    if (r.ok) setRegistration(r.value.registration);
  });
  const registering = (): boolean => mode() === "register" && registration() !== "closed";

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    const register = registering();
    if (register && password().length < PASSWORD_MIN) {
      setError(`The password needs at least ${PASSWORD_MIN} characters.`);
      return;
    }
    const code = registration() === "invite" ? invite().trim() : undefined;
    if (register && code === "") {
      setError("Enter the invite code someone with an account on this relay gave you.");
      return;
    }
    setBusy(true);
    const res = register ? await relayApi.register(email().trim(), password(), code) : await relayApi.login(email().trim(), password());
    setBusy(false);
    if (!res.ok) {
      setError(
        res.status === 401 ? "Wrong email or password." : res.status === 409 ? "An account with this email exists already. Sign in instead." : res.message,
      );
      return;
    }
    props.onSignedIn({ userId: res.value.userId, email: email().trim(), token: res.value.token }, register, password());
  };

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
        <Brand />
        <h1 id="auth-title">{registering() ? "Create account" : "Sign in"}</h1>
        <p class="lead">
          {!registering()
            ? "Welcome back. Your messages are end-to-end encrypted and stay on your devices."
            : "One account for all your devices. The server only ever sees ciphertext."}
        </p>
        <Show when={props.notice}>
          <p class="auth-notice" role="status">
            {props.notice}
          </p>
        </Show>
        <label class="field">
          <span>Email</span>
          <input class="input" type="email" name="email" autocomplete="username" required value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            class="input"
            type="password"
            name="password"
            autocomplete={registering() ? "new-password" : "current-password"}
            required
            minLength={registering() ? PASSWORD_MIN : 1}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={registering() && registration() === "invite"}>
          <label class="field">
            <span>Invite code</span>
            <input
              class="input mono"
              name="invite"
              autocomplete="off"
              spellcheck={false}
              required
              placeholder="bc_inv_…"
              aria-describedby="invite-hint"
              value={invite()}
              onInput={(e) => setInvite(e.currentTarget.value)}
            />
          </label>
          <p class="hint field-hint" id="invite-hint">
            Registration on this relay is by invitation: ask someone who has an account here for a code.
          </p>
        </Show>
        <ErrorNote message={error()} />
        <button type="submit" class="btn primary" disabled={busy()}>
          {registering() ? "Create account" : "Sign in"}
        </button>
        <div class="auth-switch">
          <Show
            when={!registering()}
            fallback={
              <>
                Have an account?{" "}
                <button type="button" class="link-btn" onClick={() => (setMode("signin"), setError(undefined))}>
                  Sign in instead
                </button>
              </>
            }
          >
            <Show when={registration() !== "closed"} fallback={<>Registration is closed on this relay: only existing accounts can sign in.</>}>
              New here?{" "}
              <button type="button" class="link-btn" onClick={() => (setMode("register"), setError(undefined))}>
                Create an account
              </button>
            </Show>
          </Show>
        </div>
      </form>
    </main>
  );
}
