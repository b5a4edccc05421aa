import type { Locator, Page } from "playwright-core";

// Everything here acts as a person would: it finds controls by their role and accessible name
// (docs/design.md, "What a person sees"), types, clicks, and waits for what a person would wait for.
// No test id, no CSS selector, no sleeping: every wait is for a condition, with a timeout.

/** How long a person waits for a screen or an answer before calling it broken. */
export const PATIENCE_MS = 20_000;

/** Opens the app and creates an account from the sign-in screen. */
export async function createAccount(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/");
  // The sign-in form turns into the registration form with "Create an account".
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
}

/** Opens the app and signs in. */
export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** On the first device: chooses the workspace passphrase (typed twice). */
export async function setPassphrase(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase, { timeout: PATIENCE_MS });
  await page.getByLabel("Confirm passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Create passphrase" }).click();
}

/** On a later device (or after a lock): types the passphrase (optionally "Remember on this device") and presses Unlock. */
export async function unlock(page: Page, passphrase: string, opts: { remember?: boolean } = {}): Promise<void> {
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase, { timeout: PATIENCE_MS });
  if (opts.remember === true) await page.getByRole("checkbox", { name: "Remember on this device" }).check();
  await page.getByRole("button", { name: "Unlock" }).click();
}

/** The composer of the open session (not the thread panel's). */
export const composer = (page: Page): Locator => page.getByRole("main").getByRole("textbox", { name: "Message", exact: true });

/** The message list of the open session. */
export const messages = (page: Page): Locator => page.getByRole("main").getByRole("log", { name: "Messages" });

/** The sync indicator, when its words match `state` (e.g. /^Offline/, /^Live/). */
export const syncStatus = (page: Page, state: RegExp): Locator =>
  page.getByRole("status", { name: new RegExp(`^Sync: ${state.source.replace(/^\^/, "")}`, state.flags) });

/** The thread panel. */
export const threadPanel = (page: Page): Locator => page.getByRole("complementary", { name: "Thread" });

/**
 * Resolves once the workspace is shown and settled: the sidebar with its "New channel" button,
 * and in the main area either the open session's composer or the welcome heading (the app opens
 * the last-used channel by itself, and its composer takes the focus when it appears).
 */
export async function waitForWorkspace(page: Page): Promise<void> {
  await page.getByRole("button", { name: "New channel" }).waitFor({ timeout: PATIENCE_MS });
  const main = page.getByRole("main");
  await composer(page)
    .or(main.getByRole("heading", { name: /^Welcome/ }))
    .first()
    .waitFor({ timeout: PATIENCE_MS });
}

/** Creates a channel bound to an agent (its option is named like the agent, e.g. "Demo agent"). */
export async function createChannel(page: Page, name: string, agent = "Demo agent"): Promise<void> {
  await page.getByRole("button", { name: "New channel" }).click();
  const dialog = page.getByRole("dialog");
  const nameField = dialog.getByLabel("Channel name");
  await nameField.fill(name);
  // A composer appearing behind the dialog may take the focus mid-typing: check what landed.
  await eventually(
    async () => {
      const v = await nameField.inputValue();
      if (v !== name) await nameField.fill(name);
      return v;
    },
    (v) => v === name,
    "the channel name in the dialog",
  );
  const agentPicker = dialog.getByRole("combobox", { name: "Agent" });
  await agentPicker.locator("option", { hasText: agent }).first().waitFor({ state: "attached", timeout: PATIENCE_MS });
  const value = await agentPicker.locator("option", { hasText: agent }).first().getAttribute("value");
  if (value !== null) await agentPicker.selectOption(value);
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "hidden" });
  await openChannel(page, name);
}

/** Opens a channel from the sidebar. */
export async function openChannel(page: Page, name: string): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Channels" });
  await nav
    .getByRole("link", { name, exact: true })
    .or(nav.getByRole("button", { name, exact: true }))
    .first()
    .click({ timeout: PATIENCE_MS });
}

/**
 * Types a message in a composer and presses Send: the session's ("Message") by default, or the
 * thread panel's ("Reply") with `send(page, text, threadPanel(page), "Reply")`.
 */
export async function send(page: Page, text: string, where: Locator = page.getByRole("main"), box = "Message"): Promise<void> {
  const field = where.getByRole("textbox", { name: box, exact: true });
  await field.fill(text);
  await where.getByRole("button", { name: "Send", exact: true }).click();
  // The message has left the composer once it is empty again; only then does a person type on.
  await eventually(
    () => field.inputValue(),
    (v) => v === "",
    "the composer to empty after Send",
  );
}

/** The message rows (articles) of a list whose text contains `text`. */
export const messageRows = (list: Locator, text: string | RegExp): Locator => list.getByRole("article").filter({ hasText: text });

/** Resolves once a message containing `text` is shown in `list`; returns its row. */
export async function waitForMessage(list: Locator, text: string | RegExp, timeoutMs = PATIENCE_MS): Promise<Locator> {
  const row = messageRows(list, text).last();
  await row.waitFor({ timeout: timeoutMs });
  return row;
}

/**
 * Resolves once the agent's reply containing `text` is committed: shown in `list` as a message
 * of the conversation (not the row of a reply still arriving, named "… is replying"), with no
 * reply streaming any more (no Stop button left).
 */
export async function waitForReply(page: Page, list: Locator, text: string | RegExp, timeoutMs = PATIENCE_MS): Promise<Locator> {
  const row = list
    .getByRole("article", { name: /^(?!.*is replying$)/ })
    .filter({ hasText: text })
    .last();
  await row.waitFor({ timeout: timeoutMs });
  await list.getByRole("button", { name: "Stop" }).first().waitFor({ state: "detached", timeout: timeoutMs });
  return row;
}

/** Polls `read` until `ok` holds for its value; fails with the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Signs in on a new device, unlocks with the workspace passphrase and waits for the workspace. */
export async function signInAndUnlock(page: Page, ws: { email: string; password: string; passphrase: string }): Promise<void> {
  await signIn(page, ws);
  await unlock(page, ws.passphrase);
  await waitForWorkspace(page);
}
