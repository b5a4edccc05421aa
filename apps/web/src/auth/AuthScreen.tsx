import { createSignal, type JSX, Show } from "solid-js";
import { type Account, relayApi } from "../api/relayApi.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { Brand } from "../ui/Brand.js";

/** "Sign in" / "Create account": email and password against the relay's REST API. */
export function AuthScreen(props: {
  /** Signed in; `password` is what was typed (kept in memory only, so the passphrase step can refuse it). */
  onSignedIn: (account: Account, created: boolean, password: string) => void;
}): JSX.Element {
  const [mode, setMode] = createSignal<"signin" | "register">("signin");
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    const register = mode() === "register";
    if (register && password().length < 8) {
      setError("The password needs at least 8 characters.");
      return;
    }
    setBusy(true);
    const res = register ? await relayApi.register(email().trim(), password()) : await relayApi.login(email().trim(), password());
    setBusy(false);
    if (!res.ok) {
      setError(res.status === 401 ? "Wrong email or password." : res.status === 409 ? "An account with this email exists already. Sign in instead." : res.message);
      return;
    }
    props.onSignedIn({ userId: res.value.userId, email: email().trim(), token: res.value.token }, register, password());
  };

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
        <Brand />
        <h1 id="auth-title">{mode() === "signin" ? "Sign in" : "Create account"}</h1>
        <p class="lead">
          {mode() === "signin"
            ? "Welcome back. Your messages are end-to-end encrypted and stay on your devices."
            : "One account for all your devices. The server only ever sees ciphertext."}
        </p>
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
            autocomplete={mode() === "signin" ? "current-password" : "new-password"}
            required
            minLength={mode() === "register" ? 8 : 1}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorNote message={error()} />
        <button type="submit" class="btn primary" disabled={busy()}>
          {mode() === "signin" ? "Sign in" : "Create account"}
        </button>
        <div class="auth-switch">
          <Show
            when={mode() === "signin"}
            fallback={
              <>
                Have an account?{" "}
                <button type="button" class="link-btn" onClick={() => (setMode("signin"), setError(undefined))}>
                  Sign in instead
                </button>
              </>
            }
          >
            New here?{" "}
            <button type="button" class="link-btn" onClick={() => (setMode("register"), setError(undefined))}>
              Create an account
            </button>
          </Show>
        </div>
      </form>
    </main>
  );
}
