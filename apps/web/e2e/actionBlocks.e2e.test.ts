import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { eventually, messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, unlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { agentRepliesTo } from "./harness/seedWorkspace.js";

const fx = e2eForFile();
const LAPTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** On a phone the app opens in the last chat; Back leads to the channels, where one is opened. */
async function openOnPhone(page: Page, channel: string): Promise<void> {
  const back = page.getByRole("main").getByRole("button", { name: "Back" });
  if (await back.isVisible()) await back.click();
  await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: channel, exact: true }).click({ timeout: PATIENCE_MS });
}

/** The agent's reply that offered a block, found by its words. */
const offer = (page: Page, words: string): Locator => messageRows(messages(page), words).last();

/** Resolves once `locator` is the element with the focus. */
async function focused(locator: Locator, what: string): Promise<void> {
  await eventually(
    () => locator.evaluate((el) => el === el.ownerDocument.activeElement),
    (f) => f,
    `the focus on ${what}`,
  );
}

describe("radio groups, selection cards and forms from the agent", () => {
  it("a card chosen on the laptop shows chosen on the phone, after a reload too, and the agent answers it once", async () => {
    const ws = await fx.agentWorkspace();
    const laptop = (await fx.device(LAPTOP)).page;
    await signInAndUnlock(laptop, ws);
    await openChannel(laptop, ws.channel);
    await send(laptop, "show me the cards");
    await waitForReply(laptop, messages(laptop), "Here is what I can offer");
    const cards = offer(laptop, "Here is what I can offer").getByRole("group", { name: "Pick a plan" });
    await cards.waitFor({ timeout: PATIENCE_MS });
    // Each card a button named by its title, its line and picture as its description.
    expect(await cards.getByRole("button").allInnerTexts()).toHaveLength(3);
    const picture = cards.getByRole("img", { name: "Two circles side by side" });
    expect(await picture.getAttribute("loading")).toBe("lazy");
    expect(await picture.getAttribute("referrerpolicy")).toBe("no-referrer");
    // Not stretched: drawn at the picture's own proportions (16:9).
    const box = (await picture.boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 1);
    await screenshotLightAndDark(laptop, "action-cards");

    const phone = (await fx.device(PHONE)).page;
    await signInAndUnlock(phone, ws);
    await openOnPhone(phone, ws.channel);
    const onPhone = offer(phone, "Here is what I can offer").getByRole("group", { name: "Pick a plan" });
    const teamOnPhone = onPhone.getByRole("button", { name: "Team" });
    await teamOnPhone.waitFor({ timeout: PATIENCE_MS });
    await teamOnPhone.scrollIntoViewIfNeeded();
    // Two cards a row on a phone, none wider than the screen.
    const [a, b] = await Promise.all([onPhone.getByRole("button").nth(0).boundingBox(), onPhone.getByRole("button").nth(1).boundingBox()]);
    expect(a!.y).toBe(b!.y);
    expect(b!.x + b!.width).toBeLessThanOrEqual(390);
    await screenshotLightAndDark(phone, "action-cards-phone");

    await cards.getByRole("button", { name: "Team" }).click();
    await waitForReply(laptop, messages(laptop), "You chose Team");
    expect(await cards.getByRole("button", { name: "Team" }).getAttribute("aria-pressed")).toBe("true");
    expect(await cards.getByRole("button", { name: "Team" }).isDisabled()).toBe(true);

    // The phone sees the choice as it syncs, and again after a reload.
    await eventually(
      () => teamOnPhone.getAttribute("aria-pressed"),
      (p) => p === "true",
      "the card chosen on the phone",
    );
    await phone.reload();
    const field = phone.getByLabel("Passphrase", { exact: true });
    await field.or(teamOnPhone).first().waitFor({ timeout: PATIENCE_MS });
    if (await field.isVisible()) await unlock(phone, ws.passphrase);
    await teamOnPhone.waitFor({ timeout: PATIENCE_MS });
    expect(await teamOnPhone.getAttribute("aria-pressed")).toBe("true");
    expect(await teamOnPhone.isDisabled()).toBe(true);
    const starterOnPhone = onPhone.getByRole("button", { name: "Starter" });
    expect(await starterOnPhone.getAttribute("aria-pressed")).toBe("false");
    expect(await starterOnPhone.isDisabled()).toBe(true);
    await offer(phone, "Here is what I can offer").getByRole("status").filter({ hasText: "Chosen: Team" }).waitFor();
    await teamOnPhone.scrollIntoViewIfNeeded();
    await screenshotLightAndDark(phone, "action-cards-chosen-phone");

    // One answer, answered once, on both devices and in the workspace.
    await waitForReply(phone, messages(phone), "You chose Team");
    for (const page of [laptop, phone]) expect(await messageRows(messages(page), "You chose Team").count()).toBe(1);
    expect(await agentRepliesTo(ws, "Team")).toEqual({ asked: 1, replies: 1 });
  });

  it("a radio group and a form of four fields, answered with the keyboard alone, are answered by the agent with what was sent", async () => {
    const ws = await fx.agentWorkspace();
    const laptop = (await fx.device(LAPTOP)).page;
    const phone = (await fx.device(PHONE)).page;
    await signInAndUnlock(laptop, ws);
    await openChannel(laptop, ws.channel);
    await signInAndUnlock(phone, ws);
    await openOnPhone(phone, ws.channel);

    // The radio group: arrow keys pick, Tab reaches the button, Enter sends.
    await send(laptop, "show me a radio group");
    await waitForReply(laptop, messages(laptop), "A few ways to write it up");
    const group = offer(laptop, "A few ways to write it up").getByRole("radiogroup", { name: "How should I write the report?" });
    await group.waitFor({ timeout: PATIENCE_MS });
    const onPhone = offer(phone, "A few ways to write it up").getByRole("radiogroup", { name: "How should I write the report?" });
    await onPhone.waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(phone, "action-radio-phone");
    expect(await group.getByRole("radio", { name: "Bullet points" }).getAttribute("aria-describedby")).not.toBeNull();
    await group.getByRole("radio", { name: "Summary" }).focus();
    await laptop.keyboard.press("ArrowDown");
    expect(await group.getByRole("radio", { name: "Bullet points" }).isChecked()).toBe(true);
    await screenshotLightAndDark(laptop, "action-radio");
    await laptop.keyboard.press("Tab");
    const use = offer(laptop, "A few ways to write it up").getByRole("button", { name: "Use this format" });
    await focused(use, "Use this format");
    await laptop.keyboard.press("Enter");
    await waitForReply(laptop, messages(laptop), "You chose Bullet points");
    expect(await group.getByRole("radio", { name: "Bullet points" }).isDisabled()).toBe(true);
    expect(await group.getByRole("radio", { name: "Bullet points" }).isChecked()).toBe(true);

    // The form: a field left empty says so and takes the focus; then every field by keyboard.
    await send(laptop, "fill in a form");
    await waitForReply(laptop, messages(laptop), "Tell me about the project");
    const form = offer(laptop, "Tell me about the project").getByRole("group", { name: "New project" });
    const name = form.getByRole("textbox", { name: "Project name" });
    await name.waitFor({ timeout: PATIENCE_MS });
    await offer(phone, "Tell me about the project").getByRole("textbox", { name: "Project name" }).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(phone, "action-form-phone");
    await name.focus();
    await laptop.keyboard.press("Enter");
    await form.getByText("Required.").first().waitFor();
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    await focused(name, "the empty project name");
    await screenshotLightAndDark(laptop, "action-form-problems");

    await laptop.keyboard.type("Apollo");
    await laptop.keyboard.press("Tab");
    await laptop.keyboard.type("4");
    await laptop.keyboard.press("Tab");
    const region = form.getByRole("combobox", { name: "Region" });
    await focused(region, "Region");
    await laptop.keyboard.type("Asia");
    expect(await region.inputValue()).toBe("ap");
    await laptop.keyboard.press("Tab");
    await laptop.keyboard.press("Space");
    expect(await form.getByRole("checkbox", { name: "Visible to everyone in the workspace" }).isChecked()).toBe(true);
    await screenshotLightAndDark(laptop, "action-form");
    await laptop.keyboard.press("Tab");
    await focused(offer(laptop, "Tell me about the project").getByRole("button", { name: "Create project" }), "Create project");
    await laptop.keyboard.press("Enter");

    const answer = await waitForReply(laptop, messages(laptop), "You submitted the form on block new-project");
    const said = await answer.innerText();
    for (const line of ["name: Apollo", "size: 4", "region: ap", "public: yes"]) expect(said).toContain(line);
    // The person's answer shows what they sent, one field a line; the form shows it, disabled.
    await messageRows(messages(laptop), "Project name: Apollo").first().waitFor();
    expect(await name.isDisabled()).toBe(true);
    expect(await name.inputValue()).toBe("Apollo");
    expect(await form.getByRole("spinbutton", { name: "Team size" }).inputValue()).toBe("4");
    expect(await agentRepliesTo(ws, "Project name: Apollo\nTeam size: 4\nRegion: Asia Pacific\nVisible to everyone in the workspace: yes")).toEqual({
      asked: 1,
      replies: 1,
    });
  });

  it("a block the app does not know shows as text, and the message around it reads as usual", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(LAPTOP);
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    await send(page, "show me a broken block");
    const reply = await waitForReply(page, messages(page), "This block is not one BotsChat knows");
    const text = await reply.innerText();
    expect(text).toContain("Pick a colour for the theme");
    expect(text).toContain("Theme colour");
    // Its words are the message's text: no group of controls, no field, no button for it.
    expect(await reply.getByRole("group", { name: "Pick a colour for the theme" }).count()).toBe(0);
    expect(await reply.getByRole("textbox").count()).toBe(0);
    expect(await reply.getByRole("button", { name: /colour/i }).count()).toBe(0);
    expect(await reply.locator(".actions").count()).toBe(0);
  });
});
