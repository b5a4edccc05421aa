import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { composer, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, syncStatus, unlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile();

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const toggle = (page: Page): Locator => page.getByRole("button", { name: "Debug log", exact: true });
const panel = (page: Page): Locator => page.getByRole("region", { name: "Debug log" });
const logLines = (page: Page): Locator => panel(page).getByRole("list", { name: "Log lines" });
const rows = (page: Page, text?: string | RegExp): Locator => {
  const all = logLines(page).getByRole("listitem");
  return text === undefined ? all : all.filter({ hasText: text });
};
const filter = (page: Page, name: string): Locator => panel(page).getByRole("group", { name: "Filter by category" }).getByRole("button", { name, exact: true });

/** How far the list of lines is from its bottom, in pixels. */
const fromBottom = (page: Page): Promise<number> => logLines(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

describe("the Debug log panel", () => {
  it("docks under the workspace, which stays usable above it; filters, follows new lines, resizes, and warns when the relay goes away", async () => {
    const ws = await fx.agentWorkspace();
    const { context, page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);

    expect(await toggle(page).getAttribute("aria-expanded")).toBe("false");
    await toggle(page).click();
    await panel(page).waitFor();
    expect(await toggle(page).getAttribute("aria-expanded")).toBe("true");
    expect(await page.getByRole("dialog").count()).toBe(0);
    // The catch-up of a new device is logged, entry by entry, folded into counted lines.
    await rows(page, /×\d+/).first().waitFor({ timeout: PATIENCE_MS });

    // Docked at the bottom, the full width, and the composer above it, not under it.
    const [box, composerBox] = await Promise.all([panel(page).boundingBox(), composer(page).boundingBox()]);
    expect(box!.x).toBe(0);
    expect(box!.width).toBe(1280);
    expect(Math.round(box!.y + box!.height)).toBe(800);
    expect(composerBox!.y + composerBox!.height).toBeLessThanOrEqual(box!.y);

    // The workspace is usable beside it, and what it does shows in the log as it happens.
    await send(page, "hello beside the log");
    await waitForReply(page, messages(page), "You said: hello beside the log");
    await rows(page, /→ append/)
      .first()
      .waitFor({ timeout: PATIENCE_MS });
    await expect.poll(() => fromBottom(page), { timeout: PATIENCE_MS }).toBeLessThan(2);
    await screenshotLightAndDark(page, "debug-panel");

    // Frame lines hidden, then shown again; a text filter.
    expect(await rows(page, "WST").count()).toBeGreaterThan(0);
    await filter(page, "WST").click();
    expect(await filter(page, "WST").getAttribute("aria-pressed")).toBe("false");
    expect(await filter(page, "ALL").getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => rows(page, "WST").count()).toBe(0);
    expect(await rows(page).count()).toBeGreaterThan(0);
    await filter(page, "ALL").click();
    await expect.poll(() => rows(page, "WST").count()).toBeGreaterThan(0);
    await panel(page).getByRole("searchbox", { name: "Filter text" }).fill("welcome");
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    expect(await rows(page).allInnerTexts()).toSatisfy((texts: string[]) => texts.every((t) => t.toLowerCase().includes("welcome")));
    await panel(page).getByRole("searchbox", { name: "Filter text" }).fill("");

    // A line opens to its details: category and the time to the millisecond.
    const line = rows(page, /welcome/).first();
    await line.getByRole("button").click();
    expect(await line.getByRole("button").getAttribute("aria-expanded")).toBe("true");
    await line
      .getByText(/^\d\d:\d\d:\d\d\.\d{3}/)
      .first()
      .waitFor();
    expect(await line.getByRole("definition").first().innerText()).toMatch(/^(WS|WST|API|INF|WRN|ERR)$/);
    await screenshotLightAndDark(page, "debug-panel-details");
    await line.getByRole("button").click();

    // Scrolled up, it stops following and counts what arrives; the count takes the reader back down.
    const handle = panel(page).getByRole("separator", { name: "Resize debug log" });
    expect(await handle.getAttribute("aria-orientation")).toBe("horizontal");
    await handle.focus();
    await page.keyboard.press("End");
    await expect.poll(() => logLines(page).evaluate((el) => el.scrollHeight > el.clientHeight + 40)).toBe(true);
    await logLines(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => fromBottom(page)).toBeGreaterThan(20);
    await send(page, "a second message");
    await waitForReply(page, messages(page), "You said: a second message");
    const jump = panel(page).getByRole("button", { name: /^\d+ new lines? ↓$/ });
    await jump.waitFor({ timeout: PATIENCE_MS });
    expect(await fromBottom(page)).toBeGreaterThan(20);
    await jump.click();
    await jump.waitFor({ state: "detached" });
    expect(await fromBottom(page)).toBeLessThan(2);

    // Resized from the keyboard (and by dragging its edge), and the height is kept for the next time.
    const before = (await panel(page).boundingBox())!.height;
    await handle.focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect.poll(async () => Math.round((await panel(page).boundingBox())!.height)).toBe(Math.round(before + 48));
    const edge = (await handle.boundingBox())!;
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2 - 100, { steps: 5 });
    await page.mouse.up();
    const dragged = Math.round((await panel(page).boundingBox())!.height);
    expect(dragged).toBe(Math.round(before + 148));
    // Never so tall that the workspace above loses its composer.
    await handle.focus();
    await page.keyboard.press("Home");
    const tallest = (await panel(page).boundingBox())!;
    expect((await composer(page).boundingBox())!.y + (await composer(page).boundingBox())!.height).toBeLessThanOrEqual(tallest.y);
    await page.keyboard.press("End");
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowUp");
    const chosen = Math.round((await panel(page).boundingBox())!.height);

    // Ctrl+` closes and opens it; the height is the one chosen.
    await composer(page).focus();
    await page.keyboard.press("Control+Backquote");
    await panel(page).waitFor({ state: "detached" });
    expect(await toggle(page).getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Control+Backquote");
    await panel(page).waitFor();
    expect(Math.round((await panel(page).boundingBox())!.height)).toBe(chosen);

    // Collapsed to its header: the workspace takes the room.
    await panel(page).getByRole("button", { name: "Collapse debug log" }).click();
    await logLines(page).waitFor({ state: "hidden" });
    expect((await panel(page).boundingBox())!.height).toBeLessThan(60);
    await panel(page).getByRole("button", { name: "Expand debug log" }).click();
    await logLines(page).waitFor();

    // The network goes away: the panel says so with a warning line.
    await panel(page).getByRole("button", { name: "Clear" }).click();
    await context.setOffline(true);
    const warning = rows(page).filter({ hasText: "WRN" }).filter({ hasText: "socket closed" }).first();
    await warning.waitFor({ timeout: PATIENCE_MS });
    await filter(page, "WRN").click({ modifiers: ["Shift"] });
    expect(await filter(page, "WS").getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => rows(page).filter({ hasNotText: "WRN" }).count()).toBe(0);
    await screenshotLightAndDark(page, "debug-panel-offline");
    await context.setOffline(false);
    await syncStatus(page, /^Live/).waitFor({ timeout: PATIENCE_MS });

    // Left open, it is open again after a reload, docked at the height chosen.
    await page.reload();
    await unlock(page, ws.passphrase);
    await panel(page).waitFor({ timeout: PATIENCE_MS });
    expect(Math.round((await panel(page).boundingBox())!.height)).toBe(chosen);

    // The button closes it, and closed it stays.
    await toggle(page).click();
    await panel(page).waitFor({ state: "detached" });
    await page.reload();
    await unlock(page, ws.passphrase);
    await composer(page).waitFor({ timeout: PATIENCE_MS });
    expect(await panel(page).count()).toBe(0);
  });

  it("on a phone is a screen of its own, with Close", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);
    const back = page.getByRole("main").getByRole("button", { name: "Back", exact: true });
    if (await back.isVisible()) await back.click();
    await toggle(page).click();
    await panel(page).waitFor();
    await rows(page).first().waitFor({ timeout: PATIENCE_MS });
    await expect.poll(async () => await panel(page).boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    expect(await panel(page).getByRole("separator").count()).toBe(0);
    // Long lines scroll inside the list: the page itself never gets wider than the screen.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBe(390);
    await screenshotLightAndDark(page, "debug-panel-phone");
    await panel(page).getByRole("button", { name: "Close debug log" }).tap();
    await panel(page).waitFor({ state: "detached" });
    await toggle(page).waitFor();
  });
});
