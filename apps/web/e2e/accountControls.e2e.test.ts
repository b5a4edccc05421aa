import { describe, expect, it } from "vitest";
import { json, startRelay, uniqueEmail } from "@botschat/relay-testkit";
import { e2eForFile } from "./harness/e2eForFile.js";
import { PATIENCE_MS, signIn, signInAndUnlock, syncStatus, unlock } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { seedWorkspace } from "./harness/seedWorkspace.js";

const fx = e2eForFile();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe("account controls", () => {
  it("[N21] a password changed in Settings signs the other browser out, keeps this one signed in, and only the new password signs in", async () => {
    const ws = await seedWorkspace(fx.relay.url, "password-change");
    try {
      const laptop = await fx.device();
      const other = await fx.device();
      await signInAndUnlock(laptop.page, ws);
      // The other browser remembers the passphrase: a sign-out from elsewhere must forget it.
      await signIn(other.page, ws);
      await unlock(other.page, ws.passphrase, { remember: true });
      await syncStatus(other.page, /^Live/).waitFor({ timeout: PATIENCE_MS });

      const page = laptop.page;
      await page.getByRole("button", { name: "Settings", exact: true }).click();
      const dialog = page.getByRole("region", { name: "Account", exact: true });
      await dialog.getByText(`Signed in as ${ws.email}`).waitFor();
      // This browser, the other one and the Node device that seeded the workspace.
      await dialog.getByText("2 other sessions signed in to this account (browsers and devices).").waitFor({ timeout: PATIENCE_MS });
      await dialog.getByRole("heading", { name: "Account", exact: true }).scrollIntoViewIfNeeded();
      await screenshotLightAndDark(page, "settings-account");

      const newPassword = "a new password for the account";
      await dialog.getByLabel("Current password").fill(ws.password);
      await dialog.getByLabel("New password", { exact: true }).fill(newPassword);
      await dialog.getByLabel("Confirm new password").fill(newPassword);
      await dialog.getByRole("button", { name: "Change password" }).click();
      await dialog.getByRole("status").filter({ hasText: "Password changed." }).waitFor({ timeout: PATIENCE_MS });
      await dialog.getByText("No other session is signed in to this account.").waitFor({ timeout: PATIENCE_MS });

      // The other browser is back at sign-in at once, saying why; signing in again asks for the
      // passphrase again (a remembered one is forgotten on sign-out).
      await other.page
        .getByRole("status")
        .filter({ hasText: /signed out from another one/ })
        .waitFor({ timeout: PATIENCE_MS });
      await other.page.getByRole("heading", { name: "Sign in" }).waitFor();
      await other.page.getByLabel("Email").fill(ws.email);
      await other.page.getByLabel("Password", { exact: true }).fill(newPassword);
      await other.page.getByRole("button", { name: "Sign in", exact: true }).click();
      await other.page.getByLabel("Passphrase", { exact: true }).waitFor({ timeout: PATIENCE_MS });
      // This one stays signed in and live.
      await page.getByRole("main").getByRole("button", { name: "Back", exact: true }).click();
      await syncStatus(page, /^Live/).waitFor({ timeout: PATIENCE_MS });
      expect(await page.getByRole("alert").count()).toBe(0);

      const loginWith = (password: string) => json(fx.relay.url, "/api/auth/login", { body: { email: ws.email, password } });
      expect((await loginWith(ws.password)).status).toBe(401);
      expect((await loginWith(newPassword)).status).toBe(200);
    } finally {
      await ws.stop();
    }
  });

  it("[N22] on an invite relay, a code made in Settings on a phone lets a new person sign up", async () => {
    const relay = await startRelay({ args: ["--web", process.env["BOTSCHAT_E2E_WEB_DIR"]!, "--log-level", "warn", "--registration", "invite"] });
    // The relay's first account needs no invite code.
    const owner = await seedWorkspace(relay.url, "inviter");
    try {
      const phone = await fx.device({ baseURL: relay.url, ...PHONE });
      await signInAndUnlock(phone.page, owner);
      await phone.page.getByRole("main").getByRole("button", { name: "Back" }).click();
      await phone.page.getByRole("button", { name: "Settings", exact: true }).click();
      const dialog = phone.page.getByRole("region", { name: "Account", exact: true });
      await dialog.getByRole("heading", { name: "Invite codes" }).waitFor({ timeout: PATIENCE_MS });
      await dialog.getByLabel("Label (optional)").fill("for Ben");
      await dialog.getByRole("button", { name: "Create invite code" }).click();
      const code = (await dialog.getByLabel("invite code", { exact: true }).innerText({ timeout: PATIENCE_MS })).trim();
      expect(code).toMatch(/^bc_inv_[0-9A-Za-z]{43}$/);
      await dialog.getByRole("list", { name: "Invite codes waiting to be used" }).getByText("for Ben").waitFor();
      await screenshotLightAndDark(phone.page, "account-invite-phone");

      const ben = await fx.device({ baseURL: relay.url });
      await ben.page.goto("/");
      await ben.page.getByRole("button", { name: "Create an account" }).click();
      await ben.page.getByLabel("Email").fill(uniqueEmail("ben"));
      await ben.page.getByLabel("Password", { exact: true }).fill("ben's own password");
      await ben.page.getByLabel("Invite code").fill(code);
      await screenshotLightAndDark(ben.page, "sign-up-with-invite");
      await ben.page.getByRole("button", { name: "Create account", exact: true }).click();
      // Signed up: on to choosing the new workspace's passphrase.
      await ben.page.getByLabel("Confirm passphrase").waitFor({ timeout: PATIENCE_MS });

      // The code is used up: the inviter's list no longer shows it.
      expect((await json(relay.url, "/api/invites", { token: owner.session })).body).toEqual([]);
    } finally {
      await owner.stop();
      await relay.stop();
    }
  });
});
