import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { json } from "@botschat/relay-testkit";
import { e2eForFile } from "./harness/e2eForFile.js";
import { startDemoAgent } from "./harness/demoAgent.js";
import { messages, openChannel, PATIENCE_MS, send, signInAndUnlock, unlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { seedChannel, seedWorkspace, waitForGateway } from "./harness/seedWorkspace.js";

const fx = e2eForFile();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const settingsButton = (page: Page): Locator => page.getByRole("button", { name: "Settings", exact: true });
const settingsPage = (page: Page): Locator => page.getByRole("main").filter({ has: page.getByRole("heading", { name: "Settings", exact: true }) });
const section = (page: Page, name: string): Locator => page.getByRole("region", { name, exact: true });
const theme = (page: Page): Promise<string | undefined> => page.evaluate("document.documentElement.dataset.theme") as Promise<string | undefined>;
const hash = (page: Page): Promise<string> => page.evaluate("location.hash") as Promise<string>;

/** Opens Settings from the sidebar's foot and waits for the page. */
async function openSettings(page: Page): Promise<void> {
  await settingsButton(page).click();
  await settingsPage(page).waitFor({ timeout: PATIENCE_MS });
}

describe("settings", () => {
  it("the theme follows the system when told to, and a fixed choice does not", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openSettings(page);
    expect(await hash(page)).toBe("#/settings");
    const appearance = section(page, "Appearance");
    await appearance.getByRole("radio", { name: "Dark" }).check();
    await page.emulateMedia({ colorScheme: "light" });
    expect(await theme(page)).toBe("dark");

    await appearance.getByRole("radio", { name: "Follow the system" }).check();
    expect(await theme(page)).toBe("light");
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => theme(page)).toBe("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => theme(page)).toBe("light");

    // The sidebar's quick switch sets a fixed theme, which the radio group then shows.
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    expect(await theme(page)).toBe("dark");
    expect(await appearance.getByRole("radio", { name: "Dark" }).isChecked()).toBe(true);
    await appearance.getByRole("radio", { name: "Follow the system" }).check();

    // Remembered on this device across a reload, which opens the settings page again (its address).
    await page.reload();
    await unlock(page, ws.passphrase);
    await settingsPage(page).waitFor({ timeout: PATIENCE_MS });
    expect(await section(page, "Appearance").getByRole("radio", { name: "Follow the system" }).isChecked()).toBe(true);

    // The devices: this browser, and the demo agent connected now.
    const agents = page.getByRole("list", { name: "Pairing tokens" });
    await agents.getByRole("listitem").filter({ hasText: "e2e demo agent" }).filter({ hasText: "connected now" }).waitFor({ timeout: PATIENCE_MS });
    await page.getByRole("list", { name: "Signed-in sessions" }).getByText("This device · connected now").waitFor();
    await section(page, "About")
      .getByText(/^BotsChat \d+\.\d+\.\d+/)
      .waitFor();
    await screenshotLightAndDark(page, "settings");
    await section(page, "Devices and agents").scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "settings-devices");
    await section(page, "About").scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "settings-account-about");
  });

  it("on a phone the settings are a screen of the stack, with Back to the channels", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);
    await page.getByRole("main").getByRole("button", { name: "Back", exact: true }).tap();
    await settingsButton(page).tap();
    await settingsPage(page).waitFor({ timeout: PATIENCE_MS });
    expect(await hash(page)).toBe("#/settings");
    await section(page, "Models").getByRole("combobox", { name: "Default model for Demo agent" }).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(page, "settings-phone");
    await section(page, "Devices and agents").scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "settings-devices-phone");
    await section(page, "Account").getByRole("heading", { name: "Delete account" }).scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "settings-account-phone");

    // Back, and the phone's own back gesture, return to the channel list.
    await settingsPage(page).getByRole("button", { name: "Back", exact: true }).tap();
    await expect.poll(() => hash(page), { timeout: PATIENCE_MS }).toBe("#/");
    await page.getByRole("button", { name: "New channel" }).waitFor();
    await settingsButton(page).tap();
    await settingsPage(page).waitFor();
    await page.goBack();
    await expect.poll(() => hash(page), { timeout: PATIENCE_MS }).toBe("#/");
  });

  it("a default model chosen on one device is shown on another, and the agent answers with it", async () => {
    const ws = await fx.agentWorkspace();
    const laptop = await fx.device();
    const other = await fx.device();
    await signInAndUnlock(laptop.page, ws);
    await signInAndUnlock(other.page, ws);
    await openSettings(other.page);
    const otherSelect = section(other.page, "Models").getByRole("combobox", { name: "Default model for Demo agent" });
    expect(await otherSelect.inputValue()).toBe("");

    await openSettings(laptop.page);
    const select = section(laptop.page, "Models").getByRole("combobox", { name: "Default model for Demo agent" });
    await select.selectOption({ label: "Demo Fast" });
    await expect.poll(() => otherSelect.inputValue(), { timeout: PATIENCE_MS }).toBe("demo/fast");

    // In the chat of the other device, a session on "Default model" now means the chosen one.
    await openChannel(other.page, ws.channel);
    const picker = other.page.getByRole("combobox", { name: "Model" });
    await expect.poll(() => picker.locator("option").first().textContent(), { timeout: PATIENCE_MS }).toBe("Default model (demo/fast)");
    await send(other.page, "which model answers?");
    await waitForReply(other.page, messages(other.page), /model demo\/fast/);

    // Back to the gateway's own default, for the file's other tests.
    await select.selectOption({ value: "" });
    await expect.poll(() => picker.locator("option").first().textContent(), { timeout: PATIENCE_MS }).toBe("Default model (demo/smart)");
  });

  it("deleting the account takes the password and a confirm, then signs out and deletes this device's copy", async () => {
    const ws = await seedWorkspace(fx.relay.url, "delete");
    try {
      const { page } = await fx.device();
      await signInAndUnlock(page, ws);
      const databases = async (): Promise<string[]> => (await page.evaluate("indexedDB.databases().then((all) => all.map((d) => d.name))")) as string[];
      expect((await databases()).some((name) => name.startsWith("botschat-workspace-"))).toBe(true);
      await openSettings(page);
      const form = section(page, "Account").getByRole("form", { name: "Delete account" });
      const confirmDelete = async (): Promise<void> => {
        await form.getByRole("button", { name: "Delete account…" }).click();
        await page.getByRole("dialog", { name: "Delete your account?" }).getByRole("button", { name: "Delete account", exact: true }).click();
      };
      await form.getByLabel("Password", { exact: true }).fill("not the password");
      await confirmDelete();
      await form.getByRole("alert").filter({ hasText: "The password is wrong." }).waitFor({ timeout: PATIENCE_MS });

      await form.getByLabel("Password", { exact: true }).fill(ws.password);
      await form.scrollIntoViewIfNeeded();
      await form.getByRole("button", { name: "Delete account…" }).click();
      await screenshotLightAndDark(page, "settings-delete-account");
      await page.getByRole("dialog", { name: "Delete your account?" }).getByRole("button", { name: "Delete account", exact: true }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: PATIENCE_MS });
      await page.getByRole("status").filter({ hasText: "Your account was deleted" }).waitFor();
      await expect.poll(async () => (await databases()).filter((name) => name.startsWith("botschat-workspace-")), { timeout: PATIENCE_MS }).toEqual([]);
      expect((await json(fx.relay.url, "/api/auth/login", { body: { email: ws.email, password: ws.password } })).status).toBe(401);
    } finally {
      await ws.stop().catch(() => undefined);
    }
  });

  it("revoking a pairing token in the settings takes its agent offline", async () => {
    // A workspace and agent of its own: revoking the file's shared agent would leave the others without one.
    const ws = await seedWorkspace(fx.relay.url, "revoke");
    const agent = await startDemoAgent({ relayUrl: fx.relay.url, token: await ws.pairingToken(), passphrase: ws.passphrase, name: "Doomed agent" });
    try {
      const gateway = await waitForGateway(ws);
      await seedChannel(ws, gateway, "doomed");
      const { page } = await fx.device();
      await signInAndUnlock(page, ws);
      const agentsPill = page.getByRole("navigation", { name: "Channels" }).getByLabel(/agents? online$/);
      await expect.poll(() => agentsPill.getAttribute("aria-label"), { timeout: PATIENCE_MS }).toBe("1 agent online");

      await openSettings(page);
      const row = page.getByRole("list", { name: "Pairing tokens" }).getByRole("listitem").filter({ hasText: "e2e demo agent" });
      await row.filter({ hasText: "connected now" }).waitFor({ timeout: PATIENCE_MS });
      await row.getByRole("button", { name: "Revoke e2e demo agent" }).click();
      const confirm = page.getByRole("dialog", { name: "Revoke “e2e demo agent”?" });
      await confirm.getByText(/disconnected at once/).waitFor();
      await screenshotLightAndDark(page, "settings-revoke-confirm");
      await confirm.getByRole("button", { name: "Revoke token" }).click();

      await expect.poll(() => agentsPill.getAttribute("aria-label"), { timeout: PATIENCE_MS }).toBe("0 agents online");
      await page.getByRole("list", { name: "Pairing tokens" }).getByText("No pairing tokens yet.").waitFor({ timeout: PATIENCE_MS });
      // Its gateway is no longer offered for new channels, nor for a default model.
      await section(page, "Models")
        .getByText(/^No agent is paired with this workspace/)
        .waitFor({ timeout: PATIENCE_MS });
      await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: "doomed", exact: true }).click();
      await page.getByRole("main").getByLabel("Demo agent is offline").waitFor({ timeout: PATIENCE_MS });
    } finally {
      await agent.stop();
      await ws.stop();
    }
  });
});
