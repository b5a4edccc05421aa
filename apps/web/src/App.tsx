import { createEffect, createSignal, ErrorBoundary, type JSX, Match, onCleanup, Switch } from "solid-js";
import { accountStorage } from "./api/accountStorage.js";
import { labelOfUserAgent } from "./api/deviceLabel.js";
import { type Account, relayApi } from "./api/relayApi.js";
import { AuthScreen } from "./auth/AuthScreen.js";
import { type PassphraseMode, PassphraseScreen } from "./auth/PassphraseScreen.js";
import { viewCache } from "./bridge/viewCache.js";
import { makeLazyWorkspaceClient, type WorkspaceClient, type WorkspacePort } from "./bridge/WorkspaceClient.js";
import { lastUsed } from "./layout/lastUsed.js";
import { isTasksRoute, parseRoute } from "./layout/route.js";
import { Workspace } from "./layout/Workspace.js";
import type { EngineStatus } from "./shared/views.js";
import { Brand } from "./ui/Brand.js";
import { makeTheme } from "./ui/theme.js";
import { UpdatePrompt } from "./ui/UpdatePrompt.js";

type Phase = { kind: "loading"; note?: string } | { kind: "auth" } | { kind: "passphrase"; mode: PassphraseMode; error?: string } | { kind: "workspace" };

/**
 * Whether the passphrase step is needed: locked for a reason, and no remembered passphrase being
 * applied. ("Locked" without a reason means the keys are there and the relay's welcome is on its way.)
 */
function isLocked(s: EngineStatus): boolean {
  return s.state === "locked" && s.lock !== undefined && s.unlocking !== true;
}

/** Resolves once the page has drawn its first frame (or after 100 ms, as in a hidden tab, which draws none). */
function afterFirstFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

/** States only an engine with keys is in ("offline" may be one without them, before it locks). */
const OPEN_STATES: ReadonlySet<string> = new Set(["connecting", "authenticating", "catching-up", "live"]);

/**
 * The app's top level: sign in, then open this device's copy in the worker, then the passphrase
 * step if the workspace is locked, then the workspace.
 */
export function App(props: { connect: () => Promise<WorkspacePort> }): JSX.Element {
  const theme = makeTheme();
  const [account, setAccount] = createSignal<Account | undefined>(accountStorage.load());
  const [phase, setPhase] = createSignal<Phase>({ kind: "loading" });
  const [ws, setWs] = createSignal<WorkspaceClient>();
  const [fatal, setFatal] = createSignal<string>();
  /** The password typed to sign in, in memory only until the passphrase step is done: a passphrase must not be it. */
  const [accountPassword, setAccountPassword] = createSignal<string>();
  createEffect(() => phase().kind === "workspace" && setAccountPassword(undefined));

  const acc0 = account();
  // A screen cached while the passphrase is remembered here is the first thing drawn (read
  // synchronously); the worker then opens the workspace behind it (and the passphrase step
  // replaces it if it turns out locked). The worker's boot (wasm compile, a large module) would
  // compete with that first frame for the CPU, so it starts right after it.
  let cached = acc0 === undefined ? undefined : viewCache.peek(acc0.userId);
  // The cache holds the chat and the last task page: on another tasks screen there is nothing to draw first, so nothing to wait for.
  const route = parseRoute(location.hash);
  const drawsCache = cached !== undefined && (!isTasksRoute(route) || (route.kind === "task" && cached.task?.page.doc === route.doc));
  const client = makeLazyWorkspaceClient(drawsCache ? afterFirstFrame().then(() => props.connect()) : props.connect());
  setWs(client);
  const connecting = client.ready.then(
    () => {
      onCleanup(() => client.close());
      addEventListener("pagehide", () => client.close());
      const report = (): void => void client.api.setOnline(client.client, navigator.onLine);
      addEventListener("online", report);
      addEventListener("offline", report);
      report();
      return client;
    },
    (e: unknown) => {
      setFatal(`The app could not start its background worker: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    },
  );

  const passphraseMode = async (acc: Account): Promise<PassphraseMode | "signed-out"> => {
    const me = await relayApi.me(acc.token);
    if (me.ok) return me.value.vault === null ? "create" : "unlock";
    if (me.status === 401) return "signed-out";
    return "unlock";
  };

  const [settled, setSettled] = createSignal(false);
  const [authNotice, setAuthNotice] = createSignal<string>();
  const openWorkspace = async (acc: Account, created = false): Promise<void> => {
    await openWorkspaceNow(acc, created);
    setSettled(true);
  };
  const openWorkspaceNow = async (acc: Account, created: boolean): Promise<void> => {
    // Signed out (or in as someone else) while this was waiting: what it learnt is about an
    // account that is no longer this tab's, so it changes no screen.
    const current = (): boolean => account() === acc;
    if (phase().kind !== "workspace") setPhase({ kind: "loading", note: "Opening your workspace…" });
    const c = await connecting;
    await signingOut;
    if (!current()) return;
    let status = await c.api.open({
      userId: acc.userId,
      token: acc.token,
      relayUrl: location.origin,
      label: labelOfUserAgent(navigator.userAgent),
      prefetch: lastUsed(acc.userId).docs(),
    });
    if (!current()) return;
    c.noteStatus(status);
    if (!isLocked(status)) {
      setPhase({ kind: "workspace" });
      // A remembered passphrase still being applied: wait for its outcome here rather than for a
      // push, so a workspace that stays locked shows the passphrase step, not a "Locked" shell.
      if (status.unlocking !== true) return;
    }
    status = await c.api.unlockRemembered();
    if (!current()) return;
    c.noteStatus(status);
    if (!isLocked(status)) return void setPhase({ kind: "workspace" });
    const mode = created ? "create" : await passphraseMode(acc);
    if (!current()) return;
    if (mode === "signed-out") return void (await signOut(false));
    setPhase({ kind: "passphrase", mode });
  };

  /** The worker's side of the last sign-out: a sign-in that follows opens only after it. */
  let signingOut: Promise<void> = Promise.resolve();
  const signOut = async (wipe: boolean): Promise<void> => {
    const acc = account();
    // The sign-in screen at once: nothing after this may leave the tab on a workspace without an account.
    setAccount(undefined);
    setPhase({ kind: "auth" });
    accountStorage.clear();
    if (acc === undefined) return;
    signingOut = (async () => {
      const c = await connecting;
      await viewCache.clear(acc.userId);
      await c.api.signOut(acc.userId, wipe);
      void relayApi.logout(acc.token);
    })().catch(() => undefined);
    await signingOut;
  };

  const unlock = async (passphrase: string, remember: boolean): Promise<string | undefined> => {
    const c = await connecting;
    const status = await c.api.unlock(passphrase, remember);
    c.noteStatus(status);
    if (!isLocked(status)) {
      setPhase({ kind: "workspace" });
      return undefined;
    }
    if (status.lock === "wrong-passphrase") return "Wrong passphrase. Try again.";
    if (status.lock === "bad-vault") return "The workspace keys stored on the server cannot be read by this version.";
    return "The workspace is still locked. Check your connection and try again.";
  };

  /** While the relay deletes the account, its closing this device's socket is not news to show. */
  const [deletingAccount, setDeletingAccount] = createSignal(false);
  const deleteAccount = async (password: string): Promise<string | undefined> => {
    const acc = account();
    if (acc === undefined) return undefined;
    setDeletingAccount(true);
    const r = await relayApi.deleteAccount(acc.token, password);
    if (!r.ok) {
      setDeletingAccount(false);
      return r.message;
    }
    setAuthNotice("Your account was deleted, with its workspace on the relay and on this device.");
    // As "Sign out" with the copy deleted: nothing of the account stays on this device.
    await signOut(true);
    setDeletingAccount(false);
    return undefined;
  };

  // Locked from another tab (or by "Lock" here): back to the passphrase step — once this tab's
  // own open has answered (a cached screen is up before that). And unlocked while the passphrase
  // step is up (another tab, or a relay that answered after the worker stopped waiting for it):
  // on to the workspace.
  createEffect(() => {
    const c = ws();
    if (c === undefined || !settled()) return;
    const s = c.status();
    // The relay no longer knows this device's session: signed out elsewhere (another device signed
    // out the others, or changed the password). Back to sign-in, saying why; local data stays.
    if (s.signedOut === true && !deletingAccount() && (phase().kind === "workspace" || phase().kind === "passphrase")) {
      setAuthNotice("This device was signed out from another one (its sessions were ended, or the password was changed). Sign in again.");
      return void signOut(false);
    }
    if (phase().kind === "workspace" && isLocked(s)) setPhase({ kind: "passphrase", mode: "unlock" });
    else if (phase().kind === "passphrase" && s.opened && OPEN_STATES.has(s.state)) setPhase({ kind: "workspace" });
  });

  if (acc0 === undefined) setPhase({ kind: "auth" });
  else {
    if (cached !== undefined) setPhase({ kind: "workspace" });
    void openWorkspace(acc0).catch(() => undefined);
  }
  // Drawn once: after Lock or sign-out the cached screen is gone and must not come back.
  createEffect(() => {
    if (phase().kind !== "workspace") cached = undefined;
  });

  return (
    <>
      <ErrorBoundary fallback={(e: unknown) => <Failed error={e} />}>
        <Switch>
          <Match when={fatal()}>
            <main class="auth">
              <div class="auth-card" role="alert">
                <h1>Something went wrong</h1>
                <p class="lead">{fatal()}</p>
              </div>
            </main>
          </Match>
          <Match when={phase().kind === "loading"}>
            <main class="auth" aria-busy="true">
              <div class="auth-card">
                <Brand />
                <p class="lead" style={{ "margin-top": "16px" }} role="status">
                  {ws()?.status().waiting
                    ? "BotsChat is open in another tab. It continues here as soon as that tab is closed."
                    : ((phase() as { note?: string }).note ?? "Starting…")}
                </p>
              </div>
            </main>
          </Match>
          <Match when={phase().kind === "auth"}>
            <AuthScreen
              notice={authNotice()}
              onSignedIn={(acc, created, password) => {
                setAuthNotice(undefined);
                setAccountPassword(password);
                accountStorage.save(acc);
                setAccount(acc);
                void openWorkspace(acc, created);
              }}
            />
          </Match>
          <Match when={phase().kind === "passphrase" && account()}>
            {(acc) => (
              <PassphraseScreen
                accountPassword={accountPassword()}
                mode={(phase() as { mode: PassphraseMode }).mode}
                email={acc().email}
                onSubmit={unlock}
                onSignOut={() => void signOut(false)}
              />
            )}
          </Match>
          <Match when={phase().kind === "workspace" && ws() && account()}>
            <Workspace
              ws={ws()!}
              account={account()!}
              cached={cached}
              theme={theme}
              onLock={() => {
                void viewCache.clear(account()!.userId);
                void ws()!.api.lock();
              }}
              onSignOut={(wipe) => void signOut(wipe)}
              onDeleteAccount={deleteAccount}
            />
          </Match>
        </Switch>
      </ErrorBoundary>
      <UpdatePrompt />
    </>
  );
}

/** What a screen that failed to draw leaves instead of a blank page: the fault, and a way on. */
function Failed(props: { error: unknown }): JSX.Element {
  return (
    <main class="auth">
      <div class="auth-card" role="alert">
        <h1>Something went wrong</h1>
        <p class="lead">{props.error instanceof Error ? props.error.message : String(props.error)}</p>
        <button type="button" class="btn primary" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    </main>
  );
}
