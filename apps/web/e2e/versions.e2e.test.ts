import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { e2eForFile } from "./harness/e2eForFile.js";
import { eventually, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The demo agent's committed answers (not a reply still arriving) whose text contains `text`. */
const answers = (list: Locator, text: string | RegExp): Locator =>
  list
    .getByRole("article", { name: /^(?!.*is replying$)/ })
    .filter({ hasText: "You said:" })
    .filter({ hasText: text });

/** The person's own rows whose text contains `text` (not the answers quoting it). */
const asked = (list: Locator, text: string): Locator => list.getByRole("article").filter({ hasText: text, hasNotText: "You said:" });

/** On a phone: from the session list to the channel's chat. */
async function openOnPhone(page: Page, channel: string): Promise<void> {
  await page.getByRole("main").getByRole("button", { name: "Back" }).click();
  await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: channel, exact: true }).click();
}

describe("regenerate and edit", () => {
  it("regenerates an answer with another model on one device; another device browses both versions with Previous version and Next version", async () => {
    const ws = await fx.agentWorkspace();
    const laptop = await fx.device();
    await signInAndUnlock(laptop.page, ws);
    await openChannel(laptop.page, ws.channel);
    const list = messages(laptop.page);
    await send(laptop.page, "which model are you");
    const first = await waitForReply(laptop.page, list, "model demo/smart");
    expect(await first.innerText()).toContain("You said: which model are you");

    // Desktop: Regenerate among the actions on hover, with the gateway's other models.
    await first.hover();
    await first.getByRole("button", { name: "Regenerate" }).click();
    const menu = first.getByRole("menu", { name: "Regenerate" });
    expect(await menu.getByRole("menuitem").allInnerTexts()).toEqual(["Regenerate", "Demo Fast", "Demo Creative"]);
    await screenshotLightAndDark(laptop.page, "regenerate-menu-desktop");
    await menu.getByRole("menuitem", { name: "Regenerate with Demo Fast" }).click();
    const second = await waitForReply(laptop.page, list, "model demo/fast");
    await second.getByRole("group", { name: "Version 2 of 2" }).waitFor();
    // One row per answer: the first answer is a version now, not a row of its own.
    expect(await answers(list, "which model are you").count()).toBe(1);
    await laptop.page.mouse.move(5, 5);
    await screenshotLightAndDark(laptop.page, "regenerated-answer-desktop");

    const phone = await fx.device(PHONE);
    await signInAndUnlock(phone.page, ws);
    await openOnPhone(phone.page, ws.channel);
    const onPhone = messages(phone.page);
    const row = answers(onPhone, "which model are you");
    await row.filter({ hasText: "model demo/fast" }).waitFor({ timeout: PATIENCE_MS });
    expect(await row.getByRole("button", { name: "Next version" }).isDisabled()).toBe(true);
    await screenshotLightAndDark(phone.page, "regenerated-answer-phone");
    await row.getByRole("button", { name: "Previous version" }).click();
    await row.filter({ hasText: "model demo/smart" }).getByRole("group", { name: "Version 1 of 2" }).waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.getByRole("button", { name: "Previous version" }).isDisabled()).toBe(true);
    await row.getByRole("button", { name: "Next version" }).click();
    await row.filter({ hasText: "model demo/fast" }).getByRole("group", { name: "Version 2 of 2" }).waitFor();

    // Phone: Regenerate in the answer's action sheet, with the models other than the one that answered.
    await row.getByText("no model is called").tap();
    const sheet = phone.page.getByRole("dialog", { name: "Message actions" });
    expect(await sheet.getByRole("button").allInnerTexts()).toEqual([
      "Reply in thread",
      "Quote",
      "Copy",
      "Regenerate",
      "Regenerate with Demo Smart",
      "Regenerate with Demo Creative",
      "Cancel",
    ]);
    await screenshotLightAndDark(phone.page, "regenerate-sheet-phone");
    await sheet.getByRole("button", { name: "Cancel" }).tap();
  });

  it("edits a sent message from the phone's action sheet; the agent answers the edited text, and the first wording stays as a version", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);
    await openOnPhone(page, ws.channel);
    const list = messages(page);
    await send(page, "what is the captial of France");
    await waitForReply(page, list, "You said: what is the captial of France");

    await asked(list, "what is the captial of France").getByText("what is the captial of France").tap();
    const sheet = page.getByRole("dialog", { name: "Message actions" });
    expect(await sheet.getByRole("button").allInnerTexts()).toEqual(["Reply in thread", "Quote", "Copy", "Edit", "Cancel"]);
    await sheet.getByRole("button", { name: "Edit" }).tap();
    const field = list.getByRole("textbox", { name: "Edit message" });
    await field.fill("what is the capital of France");
    await screenshotLightAndDark(page, "edit-message-phone");
    await list.getByRole("button", { name: "Save" }).tap();

    await waitForReply(page, list, "You said: what is the capital of France");
    const edited = asked(list, "what is the capital of France");
    await edited.getByRole("group", { name: "Version 2 of 2" }).waitFor();
    expect(await answers(list, "France").count()).toBe(1);
    await screenshotLightAndDark(page, "edited-message-phone");

    // The first wording and its answer are still there, one tap back.
    await edited.getByRole("button", { name: "Previous version" }).click();
    await answers(list, "You said: what is the captial of France").waitFor();
    await asked(list, "what is the captial of France").getByRole("group", { name: "Version 1 of 2" }).waitFor();
    await eventually(
      () => list.getByRole("article").filter({ hasText: "what is the capital of France" }).count(),
      (n) => n === 0,
      "the edited wording to give way to the first",
    );
  });
});
