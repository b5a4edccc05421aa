import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { composer, eventually, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The `/` completion list. */
const commandList = (page: Page): Locator => page.getByRole("listbox", { name: "Commands" });
/** The row of the person's most used commands. */
const commandBar = (page: Page): Locator => page.getByRole("main").getByRole("group", { name: "Frequent commands" });
/** The commands on the bar, in order. */
const barCommands = (page: Page): Promise<string[]> =>
  commandBar(page)
    .getByRole("button")
    .allInnerTexts()
    .catch(() => []);

/** Resolves once every message of the session is answered and no reply is still being written. */
async function allAnswered(page: Page): Promise<void> {
  await eventually(
    () =>
      messages(page)
        .getByText(/^(Sending|Queued|Sent|Delivered|Writing…|Finishing…)/)
        .count(),
    (n) => n === 0,
    "every message answered",
  );
}

/** Sends a command and waits for the agent's answer to it. */
async function sendCommand(page: Page, command: string, answer: RegExp): Promise<void> {
  await send(page, command);
  await waitForReply(page, messages(page), answer);
}

describe("slash commands", () => {
  it("/ opens the commands; the keyboard picks /model demo/fast, Enter sends it and the session switches to that model", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 1280, height: 800 } });
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const box = composer(page);
    await box.click();
    expect(await box.getAttribute("aria-expanded")).toBe("false");

    await page.keyboard.type("/");
    const list = commandList(page);
    await list.waitFor({ timeout: PATIENCE_MS });
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    expect(await box.getAttribute("aria-controls")).toBe(await list.getAttribute("id"));
    // The commands, /model with each of the gateway's models, and the demo agent's skills, each with a line about it.
    const options = list.getByRole("option");
    await list.getByRole("option", { name: /^\/model demo\/fast/ }).waitFor({ timeout: PATIENCE_MS });
    const texts = await options.locator(".command-text").allInnerTexts();
    expect(texts).toEqual([
      "/help",
      "/model",
      "/model demo/fast",
      "/model demo/smart",
      "/model demo/creative",
      "/skills",
      "/markdown",
      "/actions",
      "/web_search",
    ]);
    expect(await list.getByRole("option", { name: /^\/model demo\/fast/ }).innerText()).toContain("Switches this session to Demo Fast.");
    expect(await list.getByRole("option", { name: /^\/markdown/ }).innerText()).toContain("headings, lists");
    await screenshotLightAndDark(page, "commands-completion");

    // What follows the / filters; ↓ moves the choice to /model demo/fast.
    await page.keyboard.type("mod");
    await eventually(
      () => options.count(),
      (n) => n === 4,
      "the list filtered to /model",
    );
    const chosen = async (): Promise<string> => {
      const id = await box.getAttribute("aria-activedescendant");
      return id === null ? "" : page.locator(`[id="${id}"] .command-text`).innerText();
    };
    expect(await chosen()).toBe("/model");
    await page.keyboard.press("ArrowDown");
    expect(await chosen()).toBe("/model demo/fast");
    expect(await list.getByRole("option", { name: /^\/model demo\/fast/ }).getAttribute("aria-selected")).toBe("true");

    // Enter completes it and closes the list; Enter again sends it.
    await page.keyboard.press("Enter");
    await list.waitFor({ state: "hidden" });
    expect(await box.inputValue()).toBe("/model demo/fast");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    await waitForReply(page, messages(page), /This session now uses\s*demo\/fast/);

    // The model picker in the header shows the session's new model.
    const picker = page.getByRole("combobox", { name: "Model" });
    await eventually(
      () => picker.inputValue(),
      (v) => v === "demo/fast",
      "the session's model to be demo/fast",
    );
    expect(await picker.locator("option:checked").textContent()).toBe("Demo Fast");

    // Escape closes the list and leaves the text.
    await box.fill("");
    await page.keyboard.type("/he");
    await list.waitFor();
    await page.keyboard.press("Escape");
    await list.waitFor({ state: "hidden" });
    expect(await box.inputValue()).toBe("/he");
    // A click picks too.
    await page.keyboard.type("l");
    await list.getByRole("option", { name: /^\/help/ }).click();
    expect(await box.inputValue()).toBe("/help");
  });

  it("the command bar shows the most used commands first, and the same order on the person's other device", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 1280, height: 800 } });
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);

    await sendCommand(page, "/help", /Commands/);
    await sendCommand(page, "/help", /Commands/);
    await sendCommand(page, "/skills", /Skills/);
    // /help twice, then /skills; a command used once before (/model demo/fast) comes after /skills, used more recently.
    await eventually(
      () => barCommands(page),
      (c) => c[0] === "/help" && c[1] === "/skills",
      "the bar to list /help, then /skills",
    );

    // A tap sends the command; /skills used twice more goes first.
    const bar = commandBar(page);
    await bar.getByRole("button", { name: "/skills", exact: true }).click();
    await waitForReply(page, messages(page), /Skills/);
    await bar.getByRole("button", { name: "/skills", exact: true }).click();
    await eventually(
      () => barCommands(page),
      (c) => c[0] === "/skills" && c[1] === "/help",
      "the bar to list /skills, then /help",
    );
    const order = await barCommands(page);
    expect(order.length).toBeLessThanOrEqual(6);
    await allAnswered(page);
    await screenshotLightAndDark(page, "commands-bar");

    // The person's other device shows the same commands in the same order.
    const other = await fx.device({ viewport: { width: 1280, height: 800 } });
    await signInAndUnlock(other.page, ws);
    await openChannel(other.page, ws.channel);
    await eventually(
      () => barCommands(other.page),
      (c) => JSON.stringify(c) === JSON.stringify(order),
      `the other device's bar to read ${order.join(", ")}`,
    );
  });

  it("on a phone the bar scrolls sideways within the screen and the list fits above the composer", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device(PHONE);
    await signInAndUnlock(page, ws);
    await page.getByRole("main").getByRole("button", { name: "Back" }).click();
    await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: ws.channel, exact: true }).click();
    // Enough commands for the bar to be wider than the phone.
    for (const c of ["/model demo/creative", "/model demo/smart", "/help", "/skills", "/model", "/markdown"]) {
      if (!(await barCommands(page)).includes(c)) await send(page, c);
    }
    await eventually(
      () => barCommands(page),
      (c) => c.length === 6,
      "six commands on the bar",
    );
    const bar = commandBar(page);
    const box = await bar.boundingBox();
    expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    const overflow = await bar.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(overflow.scroll).toBeGreaterThan(overflow.client);
    await allAnswered(page);
    await screenshotLightAndDark(page, "commands-bar-phone");

    await composer(page).tap();
    await page.keyboard.type("/");
    const list = commandList(page);
    await list.waitFor();
    const at = await list.boundingBox();
    const input = await composer(page).boundingBox();
    expect(at !== null && input !== null && at.x >= 0 && at.x + at.width <= 390 && at.y >= 0 && at.y + at.height <= input.y).toBe(true);
    // A tap picks.
    await list.getByRole("option", { name: /^\/skills/ }).tap();
    expect(await composer(page).inputValue()).toBe("/skills");
    await composer(page).fill("/");
    await list.waitFor();
    await screenshotLightAndDark(page, "commands-completion-phone");
  });
});
