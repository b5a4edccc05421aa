import { describe, expect, it } from "vitest";
import { uniqueEmail } from "@botschat/relay-testkit";
import { e2eForFile } from "./harness/e2eForFile.js";
import { startDemoAgent } from "./harness/demoAgent.js";
import {
  createAccount,
  createChannel,
  messages,
  PATIENCE_MS,
  send,
  setPassphrase,
  signIn,
  syncStatus,
  unlock,
  waitForReply,
  waitForWorkspace,
} from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { seedChannel, seedWorkspace } from "./harness/seedWorkspace.js";
import type { GatewayId } from "@botschat/model";

const fx = e2eForFile();

describe("account and keys", () => {
  it("a new person creates an account, is warned that a lost passphrase means lost history, sets a passphrase and sees an empty workspace", async () => {
    const { page } = await fx.device();
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await screenshotLightAndDark(page, "01-sign-in");

    await createAccount(page, { email: uniqueEmail("new"), password: "a new person's password" });
    await page.getByLabel("Confirm passphrase").waitFor({ timeout: PATIENCE_MS });
    const warning = page.getByRole("note").filter({ hasText: /lose your passphrase, your history is lost/i });
    await warning.waitFor();
    await screenshotLightAndDark(page, "02-set-passphrase");

    await setPassphrase(page, "a brand new workspace passphrase");
    await waitForWorkspace(page);
    await screenshotLightAndDark(page, "03-empty-workspace");
  });

  it("a passphrase and its confirmation that differ are refused before anything is created", async () => {
    const { page } = await fx.device();
    await createAccount(page, { email: uniqueEmail("typo"), password: "a new person's password" });
    await page.getByLabel("Passphrase", { exact: true }).fill("first version of the passphrase", { timeout: PATIENCE_MS });
    await page.getByLabel("Confirm passphrase").fill("second version of the passphrase");
    await page.getByRole("button", { name: "Create passphrase" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /match/i });
    await alert.waitFor();
    expect(await page.getByRole("button", { name: "New channel" }).count()).toBe(0);
  });

  it("a wrong passphrase is refused with a clear message, and the right one then opens the workspace", async () => {
    const ws = await seedWorkspace(fx.relay.url, "unlock");
    try {
      const { page } = await fx.device();
      await signIn(page, ws);
      await page.getByRole("button", { name: "Unlock" }).waitFor({ timeout: PATIENCE_MS });
      await screenshotLightAndDark(page, "04-unlock");

      await unlock(page, "not the passphrase at all");
      const alert = page.getByRole("alert").filter({ hasText: /wrong passphrase/i });
      await alert.waitFor({ timeout: PATIENCE_MS });
      await screenshotLightAndDark(page, "05-wrong-passphrase");
      expect(await page.getByRole("button", { name: "New channel" }).count()).toBe(0);

      await unlock(page, ws.passphrase);
      await waitForWorkspace(page);
      await alert.waitFor({ state: "detached" });
    } finally {
      await ws.stop();
    }
  });

  it("a wrong password is refused on the sign-in screen", async () => {
    const ws = await seedWorkspace(fx.relay.url, "password");
    try {
      const { page } = await fx.device();
      await signIn(page, { email: ws.email, password: "not the password" });
      await page.getByRole("alert").first().waitFor({ timeout: PATIENCE_MS });
      expect(await page.getByRole("button", { name: "Unlock" }).count()).toBe(0);
    } finally {
      await ws.stop();
    }
  });

  it("a new person makes a pairing token in the app, connects the demo agent with it, creates a channel and gets an answer", async () => {
    const { page } = await fx.device();
    const passphrase = "the passphrase the agent needs too";
    await createAccount(page, { email: uniqueEmail("journey"), password: "a new person's password" });
    await setPassphrase(page, passphrase);
    await waitForWorkspace(page);

    // Past the first-run guide, from the sidebar's key button.
    await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: "Pairing tokens" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Create pairing token" }).click();
    const token = (await dialog.getByLabel("pairing token", { exact: true }).innerText({ timeout: PATIENCE_MS })).trim();
    expect(token).toMatch(/^bc_pat_/);
    const command = await dialog.getByLabel("demo agent command", { exact: true }).innerText();
    // The command names the gateway; the token is typed at its prompt, never put on a command line.
    expect(command).toContain("--name 'My gateway'");
    expect(command).not.toContain(token);
    await screenshotLightAndDark(page, "03-pairing-token");

    const agent = await startDemoAgent({ relayUrl: fx.relay.url, token, passphrase });
    try {
      await dialog.getByRole("button", { name: "Done" }).click();
      await createChannel(page, "Journal", "Demo agent");
      await send(page, "show me some code");
      await waitForReply(page, messages(page), "fibonacci", 30_000);
    } finally {
      await agent.stop();
    }
  });

  it('with "Remember on this device", a reload opens the workspace without asking for the passphrase, and without a flash of Offline or Locked', async () => {
    const ws = await seedWorkspace(fx.relay.url, "remember");
    try {
      await seedChannel(ws, "gw-e2e-none" as GatewayId, "Notes");
      const { page } = await fx.device();
      await signIn(page, ws);
      await unlock(page, ws.passphrase, { remember: true });
      await waitForWorkspace(page);
      const notes = page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: "Notes", exact: true });
      await notes.waitFor();
      // Every sync status shown from the reload on, as the page draws it.
      await page.addInitScript(`
        window.__syncSeen = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll("[aria-label^='Sync: ']")) {
            const text = el.getAttribute("aria-label").slice("Sync: ".length);
            if (window.__syncSeen.at(-1) !== text) window.__syncSeen.push(text);
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
      `);
      await page.reload();
      await notes.waitFor({ timeout: PATIENCE_MS });
      await syncStatus(page, /^Live/).waitFor({ timeout: PATIENCE_MS });
      expect(await page.getByRole("button", { name: "Unlock" }).count()).toBe(0);
      // No flash of Offline or Locked on the way to Live.
      const seen = await page.evaluate<string[]>("window.__syncSeen");
      expect(seen.filter((s) => /^(Offline|Locked)/.test(s))).toEqual([]);
      expect(seen.at(-1)).toMatch(/^Live/);
    } finally {
      await ws.stop();
    }
  });

  it("after Lock, an unlock with Remember and a reload, Sign out lands on the sign-in screen at once, and it stays there once the remembered unlock settles", async () => {
    const ws = await seedWorkspace(fx.relay.url, "sign-out-remembered");
    try {
      await seedChannel(ws, "gw-e2e-none" as GatewayId, "Notes");
      const { page } = await fx.device();
      await signIn(page, ws);
      await unlock(page, ws.passphrase, { remember: true });
      await waitForWorkspace(page);
      await page.getByRole("button", { name: "Lock", exact: true }).click();
      await unlock(page, ws.passphrase, { remember: true });
      await waitForWorkspace(page);
      await page.reload();
      // Signed out while the remembered passphrase is still being applied.
      await page.getByRole("button", { name: "Sign out", exact: true }).click({ timeout: PATIENCE_MS });
      await page.getByRole("dialog", { name: "Sign out" }).getByRole("button", { name: "Sign out", exact: true }).click();
      const signInButton = page.getByRole("button", { name: "Sign in", exact: true });
      await signInButton.waitFor({ timeout: 5000 });
      await page.waitForTimeout(3000);
      expect(await signInButton.isVisible()).toBe(true);
      expect(await page.getByRole("navigation", { name: "Channels" }).count()).toBe(0);
      // And the account signs in again, to its workspace.
      await signIn(page, ws);
      await page.getByRole("button", { name: "Unlock" }).waitFor({ timeout: PATIENCE_MS });
    } finally {
      await ws.stop();
    }
  });
});
