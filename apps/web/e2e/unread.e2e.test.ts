import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { eventually, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, unlock, waitForMessage, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile({ agentDelayMs: 25 });

const tab = (page: Page, title: string) => page.getByRole("tablist", { name: "Sessions" }).getByRole("tab", { name: title, exact: true });
/** The unread badge of a session tab ("3 unread"). */
const tabBadge = (page: Page) => page.getByRole("tablist", { name: "Sessions" }).getByRole("img", { name: /^\d+ unread$/ });
/** The unread badge of a channel in the sidebar. */
const channelBadge = (page: Page) => page.getByRole("navigation", { name: "Channels" }).getByRole("img", { name: /^\d+ unread$/ });
const title = (page: Page, ok: (t: string) => boolean, what: string) => eventually(() => page.title(), ok, what);

/** On `page`, in the session on screen: sends `text`, then looks at `away` at once, before the answer can count as read. */
async function askAndLookAway(page: Page, text: string, away: string): Promise<void> {
  await send(page, text);
  await tab(page, away).click();
}

describe("unread messages", () => {
  it("an agent's reply to a message sent on one device is unread on another device looking at another session, until either device reads it", async () => {
    const ws = await fx.agentWorkspace();
    const a = await fx.device();
    const b = await fx.device();
    await signInAndUnlock(a.page, ws);
    await openChannel(a.page, ws.channel);
    await a.page.getByRole("button", { name: "New session" }).click();
    await tab(a.page, "Session 2").waitFor();
    await tab(a.page, "General").click();

    await signInAndUnlock(b.page, ws);
    await openChannel(b.page, ws.channel);
    await tab(b.page, "Session 2").click({ timeout: PATIENCE_MS });
    expect(await b.page.title()).toBe("BotsChat");

    // A asks in General and moves on to Session 2; B looks at Session 2 all along.
    await askAndLookAway(a.page, "ping one", "Session 2");
    const badge = tabBadge(b.page);
    await badge.waitFor({ timeout: PATIENCE_MS });
    const label = (await badge.getAttribute("aria-label"))!;
    const count = Number(label.split(" ")[0]);
    expect(count).toBeGreaterThan(0);
    // On General's tab (the one B looks at has none), on the channel in the sidebar, and in the page's title.
    expect(await tabBadge(b.page).count()).toBe(1);
    expect(await channelBadge(b.page).getAttribute("aria-label")).toBe(label);
    await title(b.page, (t) => t === `(${count}) BotsChat`, "the unread count in B's title");
    // The person's own message never counts: A's device shows the same count for the reply alone.
    await tabBadge(a.page).getByText(String(count)).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(b.page, "unread-session-tab-and-channel");

    // A reads General: B's markers go, on B's own.
    await tab(a.page, "General").click();
    await waitForReply(a.page, messages(a.page), "ping one");
    await badge.waitFor({ state: "detached", timeout: PATIENCE_MS });
    expect(await channelBadge(b.page).count()).toBe(0);
    await title(b.page, (t) => t === "BotsChat", "B's title without a count");

    // Again, and B opens the session: a "New messages" divider above the reply; B reading it clears A.
    await askAndLookAway(a.page, "ping two", "Session 2");
    await tabBadge(b.page).waitFor({ timeout: PATIENCE_MS });
    await tabBadge(a.page).waitFor({ timeout: PATIENCE_MS });
    await tab(b.page, "General").click();
    const list = messages(b.page);
    await waitForMessage(list, "ping two");
    const divider = list.getByRole("separator", { name: "New messages" });
    await divider.waitFor({ timeout: PATIENCE_MS });
    // It sits right above the reply to "ping two", below the question.
    const order = (await list.getByRole("separator").or(list.getByRole("article")).allTextContents()).map((t) =>
      t === "New messages" ? "|divider|" : t.includes("ping two") ? "question" : t,
    );
    expect(order.indexOf("|divider|")).toBe(order.indexOf("question") + 1);
    await screenshotLightAndDark(b.page, "unread-new-messages-divider");
    await tabBadge(a.page).waitFor({ state: "detached", timeout: PATIENCE_MS });
    await title(a.page, (t) => t === "BotsChat", "A's title once B has read");
    // The divider stays where it was while B reads on.
    expect(await divider.count()).toBe(1);

    // The same on a phone-sized screen.
    await b.page.setViewportSize({ width: 390, height: 844 });
    await tab(b.page, "Session 2").click();
    await tab(a.page, "General").click();
    await askAndLookAway(a.page, "ping three", "Session 2");
    await tabBadge(b.page).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(b.page, "unread-session-tab-phone");
    await tab(b.page, "General").click();
    await messages(b.page).getByRole("separator", { name: "New messages" }).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(b.page, "unread-new-messages-divider-phone");
  });

  it("notifications of replies are opt-in, per device, from Settings", async () => {
    const ws = await fx.agentWorkspace();
    const { context, page } = await fx.device();
    await context.grantPermissions(["notifications"]);
    await signInAndUnlock(page, ws);
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    const account = page.getByRole("region", { name: "Account", exact: true });
    const box = account.getByRole("checkbox", { name: /^Notify me when an agent replies/ });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await eventually(
      () => box.isChecked(),
      (v) => v,
      "the setting on",
    );
    await box.scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "account-notifications");
    // A reload stays on the settings page (its address).
    await page.reload();
    await unlock(page, ws.passphrase);
    const again = page.getByRole("region", { name: "Account", exact: true }).getByRole("checkbox", { name: /^Notify me when an agent replies/ });
    await again.waitFor({ timeout: PATIENCE_MS });
    expect(await again.isChecked()).toBe(true);
  });
});
