import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { AgentProcess } from "@botschat/agent-testkit";
import { json, login, uniqueEmail } from "@botschat/relay-testkit";
import { e2eForFile } from "./harness/e2eForFile.js";
import { startDemoAgent } from "./harness/demoAgent.js";
import { createAccount, messages, PATIENCE_MS, setPassphrase, unlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const guide = (page: Page): Locator => page.getByRole("region", { name: "Welcome to BotsChat" });
const step = (page: Page, title: string): Locator => guide(page).getByRole("listitem", { name: new RegExp(`^${title}`) });
const guideLink = (page: Page): Locator => page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: /^Getting started/ });

/** The account's pairing tokens, as the relay lists them. */
async function pairingTokens(account: { email: string; password: string }): Promise<{ id: string; label: string }[]> {
  const { token } = await login(fx.relay.url, account.email, account.password);
  const r = await json<{ id: string; label: string }[]>(fx.relay.url, "/api/pairing-tokens", { token });
  expect(r.status).toBe(200);
  return r.body;
}

describe("the first-run guide", () => {
  it("takes a brand-new account to a first demo reply, resumes after a reload midway, and makes one pairing token", async () => {
    const account = { email: uniqueEmail("guide"), password: "a new person's password" };
    const passphrase = "a guided walk to the first reply";
    const { page } = await fx.device({ viewport: { width: 1280, height: 860 } });
    await createAccount(page, account);
    await setPassphrase(page, passphrase);

    // The guide greets an empty workspace: the passphrase done and explained, an agent to connect.
    await guide(page).waitFor({ timeout: PATIENCE_MS });
    expect(await step(page, "Set your passphrase").textContent()).toContain("Nobody can reset it");
    expect(await step(page, "Connect an agent").getAttribute("aria-current")).toBe("step");
    expect(await guideLink(page).textContent()).toContain("2/4");
    await screenshotLightAndDark(page, "guide-connect");

    const connect = step(page, "Connect an agent");
    await connect.getByRole("textbox", { name: "Gateway name" }).fill("Home");
    await connect.getByRole("button", { name: "Create pairing token" }).click();
    const tokenShown = connect.getByLabel("pairing token", { exact: true });
    await tokenShown.waitFor({ timeout: PATIENCE_MS });
    const token = (await tokenShown.textContent())?.trim() ?? "";
    expect(token).toMatch(/^bc_pat_/);
    expect(await connect.getByLabel("demo agent command", { exact: true }).textContent()).toBe(`pnpm agent:demo --relay ${fx.relay.url} --name Home`);
    await connect.getByRole("status").filter({ hasText: "Waiting for “Home” to connect…" }).waitFor();
    await screenshotLightAndDark(page, "guide-lines");

    // Left midway and back: the same token and lines, nothing to make another with.
    await page.reload();
    await unlock(page, passphrase);
    await guide(page).waitFor({ timeout: PATIENCE_MS });
    expect((await step(page, "Connect an agent").getByLabel("pairing token", { exact: true }).textContent())?.trim()).toBe(token);
    expect(await step(page, "Connect an agent").getByRole("button", { name: "Create pairing token" }).count()).toBe(0);
    expect(await pairingTokens(account)).toHaveLength(1);

    // The person runs the demo agent with that token: the guide sees it connect, live.
    let agent: AgentProcess | undefined;
    try {
      agent = await startDemoAgent({ relayUrl: fx.relay.url, token, passphrase, name: "Home" });
      await step(page, "Connect an agent").getByText("“Home” is connected.").waitFor({ timeout: PATIENCE_MS });
      const channel = step(page, "Create your first channel");
      expect(await channel.getAttribute("aria-current")).toBe("step");
      await screenshotLightAndDark(page, "guide-channel");
      await channel.getByRole("button", { name: "Create channel" }).click();

      const hello = step(page, "Say hello");
      await hello.getByRole("textbox", { name: "First message" }).waitFor({ timeout: PATIENCE_MS });
      expect(await hello.textContent()).toContain("in #general");
      await hello.getByRole("button", { name: "Send" }).click();

      // The chat of #general, where the first reply streams in; the guide is done.
      await waitForReply(page, messages(page), "You said: Hello! What can you do?", 30_000);
      await expect.poll(() => page.evaluate("location.hash")).not.toBe("#/welcome");
      await guideLink(page).waitFor({ state: "detached" });
      expect(await pairingTokens(account)).toHaveLength(1);
      await screenshotLightAndDark(page, "guide-first-reply");

      // Done on every device: a reload neither shows it nor offers it.
      await page.reload();
      await unlock(page, passphrase);
      await waitForReply(page, messages(page), "You said: Hello! What can you do?");
      expect(await guideLink(page).count()).toBe(0);
      expect(await guide(page).count()).toBe(0);
    } finally {
      await agent?.stop();
    }
  });

  it("on a phone it is a screen of the stack: left for the channel list, and back from “Getting started”", async () => {
    const account = { email: uniqueEmail("guide-phone"), password: "a new person's password" };
    const { page } = await fx.device(PHONE);
    await createAccount(page, account);
    await setPassphrase(page, "a guided walk on a small screen");
    await guide(page).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(page, "guide-phone");

    await guide(page).getByRole("button", { name: "Skip for now" }).tap();
    await guideLink(page).tap();
    await guide(page).waitFor();
    expect(await page.evaluate("location.hash")).toBe("#/welcome");

    // Put away for good: the empty workspace then says how to start without it.
    await guide(page).getByRole("button", { name: "Don't show this again" }).tap();
    await page.getByRole("main").getByRole("heading", { name: "Welcome to BotsChat" }).waitFor();
    await guideLink(page).waitFor({ state: "detached" });
    expect(await pairingTokens(account)).toHaveLength(0);
  });
});
