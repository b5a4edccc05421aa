import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { composer, messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, threadPanel, unlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { createTask, openTask, openTasks } from "./harness/tasks.js";

const fx = e2eForFile();

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Whether what `el` shows lies on the screen (a screen of the stack waiting off to the side does not). */
async function onScreen(page: Page, el: Locator): Promise<boolean> {
  const [box, size] = await Promise.all([el.boundingBox(), page.viewportSize()]);
  return box !== null && size !== null && box.width > 0 && box.x >= -1 && box.x + box.width <= size.width + 1;
}

const channelList = (page: Page): Locator => page.getByRole("navigation", { name: "Channels" });
const mainBack = (page: Page): Locator => page.getByRole("main").getByRole("button", { name: "Back", exact: true });
const threadBack = (page: Page): Locator => threadPanel(page).getByRole("button", { name: "Back", exact: true });
const hash = (page: Page): Promise<string> => page.evaluate("location.hash") as Promise<string>;

/** The channel list is the screen: the channels in view, the chat not. */
async function expectChannels(page: Page): Promise<void> {
  await expect.poll(() => onScreen(page, channelList(page)), { timeout: PATIENCE_MS }).toBe(true);
  expect(await threadPanel(page).count()).toBe(0);
  expect(await hash(page)).toBe("#/");
}

/** A channel's chat is the screen: its composer and Back in view, the channels and the thread not. */
async function expectChat(page: Page): Promise<void> {
  await expect.poll(() => onScreen(page, composer(page)), { timeout: PATIENCE_MS }).toBe(true);
  await threadPanel(page).waitFor({ state: "detached", timeout: PATIENCE_MS });
  await expect.poll(() => onScreen(page, channelList(page))).toBe(false);
  expect(await mainBack(page).isVisible()).toBe(true);
}

/** The thread of the message with `text` is the screen, over the whole chat, with its own Back. */
async function expectThread(page: Page, text: string): Promise<void> {
  const panel = threadPanel(page);
  await panel.getByText(text).first().waitFor({ timeout: PATIENCE_MS });
  const box = await panel.boundingBox();
  expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
  expect(await threadBack(page).isVisible()).toBe(true);
  expect(await hash(page)).toMatch(/^#\/[^/]+\/thread\/[^/]+\/[^/]+$/);
}

/** A tap on a message opens its actions; Reply in thread opens its thread. */
async function openThreadOf(page: Page, text: string): Promise<void> {
  await messageRows(messages(page), text).first().getByText(text).first().tap();
  const sheet = page.getByRole("dialog", { name: "Message actions" });
  await sheet.getByRole("button", { name: "Reply in thread" }).tap();
  await sheet.waitFor({ state: "detached" });
}

/** The page after a reload or a link: unlocks if the workspace asks for the passphrase. */
async function unlockIfAsked(page: Page, passphrase: string, shown: Locator): Promise<void> {
  const field = page.getByLabel("Passphrase", { exact: true });
  await field.or(shown).first().waitFor({ timeout: PATIENCE_MS });
  if (await field.isVisible()) await unlock(page, passphrase);
  await shown.waitFor({ timeout: PATIENCE_MS });
}

/** How many animations the app itself runs (not those of its style sheet). */
const scriptedAnimations = (page: Page): Promise<number> =>
  page.evaluate("document.getAnimations().filter((a) => !(a instanceof CSSAnimation) && !(a instanceof CSSTransition)).length") as Promise<number>;

describe("on a phone the app is a stack of screens", () => {
  it("channels → chat → thread and back, by Back and by the browser's back; a reload and a link land on their screen, and Back goes to the screen above", async () => {
    const ws = await fx.agentWorkspace();
    const { page, context } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);

    // The app opens on a channel's chat; Back shows the channels.
    await expectChat(page);
    await screenshotLightAndDark(page, "phone-stack-chat-empty");
    await mainBack(page).tap();
    await expectChannels(page);
    await screenshotLightAndDark(page, "phone-stack-channels");

    await openChannel(page, ws.channel);
    await expectChat(page);
    await send(page, "a question for its own thread");
    await waitForReply(page, messages(page), "You said: a question for its own thread");
    await screenshotLightAndDark(page, "phone-stack-chat");

    // Chat → thread → Back (the button).
    await openThreadOf(page, "a question for its own thread");
    await expectThread(page, "a question for its own thread");
    await screenshotLightAndDark(page, "phone-stack-thread");
    await threadBack(page).tap();
    await expectChat(page);

    // The browser's back (a phone's back gesture) with a message's sheet open closes the sheet
    // and stays on the chat; the next goes back a screen.
    await messageRows(messages(page), "a question for its own thread").first().getByText("a question for its own thread").tap();
    const sheet = page.getByRole("dialog", { name: "Message actions" });
    await sheet.waitFor();
    await page.goBack();
    await sheet.waitFor({ state: "detached" });
    await expectChat(page);
    await page.goBack();
    await expectChannels(page);
    await openChannel(page, ws.channel);
    await expectChat(page);

    // Chat → thread → the browser's back, then back again to the channels.
    await openThreadOf(page, "a question for its own thread");
    await expectThread(page, "a question for its own thread");
    await page.goBack();
    await expectChat(page);
    await page.goBack();
    await expectChannels(page);

    // A reload on the thread keeps it; Back then shows the chat it belongs to.
    await openChannel(page, ws.channel);
    await expectChat(page);
    await openThreadOf(page, "a question for its own thread");
    await expectThread(page, "a question for its own thread");
    const threadUrl = page.url();
    await page.reload();
    await unlockIfAsked(page, ws.passphrase, threadPanel(page));
    await expectThread(page, "a question for its own thread");
    await threadBack(page).tap();
    await expectChat(page);
    await messageRows(messages(page), "a question for its own thread").first().waitFor();

    // The thread's address opened on its own (a link): the browser's back goes to its chat, then
    // the channels, still in the app.
    const linked = await context.newPage();
    await linked.goto(threadUrl);
    await unlockIfAsked(linked, ws.passphrase, threadPanel(linked));
    await expectThread(linked, "a question for its own thread");
    await linked.goBack();
    await expectChat(linked);
    await linked.goBack();
    await expectChannels(linked);
    expect(new URL(linked.url()).origin).toBe(new URL(threadUrl).origin);

    // Screens slide in, unless the person asked for less motion (the device's default here).
    expect(await scriptedAnimations(linked)).toBe(0);
    await linked.emulateMedia({ reducedMotion: "no-preference" });
    await openChannel(linked, ws.channel);
    expect(await scriptedAnimations(linked)).toBeGreaterThan(0);
    await expectChat(linked);
  });

  it("tasks → task and back, by Back and by the browser's back", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);
    await expectChat(page);

    await openTasks(page);
    expect(await mainBack(page).isVisible()).toBe(true);
    await createTask(page, { name: "Morning digest", prompt: "what is new this morning", schedule: "at 07:30" });
    // The saved task's page replaced its form: Back goes to the list.
    await mainBack(page).tap();
    const list = page.getByRole("list", { name: "Tasks" });
    await list.getByRole("button", { name: "Morning digest", exact: true }).waitFor({ timeout: PATIENCE_MS });
    expect(await hash(page)).toMatch(/^#\/[^/]+\/tasks$/);
    await screenshotLightAndDark(page, "phone-stack-tasks");

    await openTask(page, "Morning digest");
    expect(await mainBack(page).isVisible()).toBe(true);
    // One Back on the screen: the page's own "Tasks" link gives way to the header's.
    expect(await page.getByRole("region", { name: "Morning digest" }).getByRole("button", { name: "Tasks", exact: true }).isVisible()).toBe(false);
    await screenshotLightAndDark(page, "phone-stack-task");
    await mainBack(page).tap();
    await list.waitFor({ timeout: PATIENCE_MS });
    expect(await hash(page)).toMatch(/^#\/[^/]+\/tasks$/);

    await openTask(page, "Morning digest");
    await page.goBack();
    await list.waitFor({ timeout: PATIENCE_MS });
    expect(await hash(page)).toMatch(/^#\/[^/]+\/tasks$/);

    // Back from the list: the channel's chat.
    await mainBack(page).tap();
    await expectChat(page);
  });
});

describe("on a desktop nothing changes", () => {
  it("the channels, the chat and the thread stay side by side, with no Back button", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 1280, height: 800 } });
    await signInAndUnlock(page, ws);
    await send(page, "a desktop question");
    const row = await waitForReply(page, messages(page), "You said: a desktop question");
    const asked = messageRows(messages(page), "a desktop question").first();
    await asked.hover();
    await asked.getByRole("button", { name: "Reply in thread" }).click();
    await threadPanel(page).getByText("a desktop question").first().waitFor({ timeout: PATIENCE_MS });
    expect(await row.isVisible()).toBe(true);

    const [nav, main, thread] = await Promise.all([channelList(page).boundingBox(), page.getByRole("main").boundingBox(), threadPanel(page).boundingBox()]);
    expect(nav).toMatchObject({ x: 0, y: 0, width: 260, height: 800 });
    expect(main?.x).toBe(260);
    expect(thread !== null && main !== null && thread.x >= main.x + main.width - 1 && thread.x + thread.width <= 1281).toBe(true);
    expect(thread?.height).toBe(800);
    expect(await page.getByRole("button", { name: "Back", exact: true }).filter({ visible: true }).count()).toBe(0);
    await screenshotLightAndDark(page, "desktop-stack-unchanged");

    await threadPanel(page).getByRole("button", { name: "Close thread" }).click();
    await threadPanel(page).waitFor({ state: "detached" });
    expect(await onScreen(page, channelList(page))).toBe(true);
  });
});
