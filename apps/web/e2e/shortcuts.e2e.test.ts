import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { composer, createChannel, messageRows, messages, openChannel, send, signInAndUnlock, threadPanel, waitForReply } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";

const fx = e2eForFile();

/** The heading of the channel shown. */
const shownChannel = (page: Page): Promise<string> => page.getByRole("main").getByRole("heading", { level: 2 }).first().innerText();
const tabs = (page: Page): Locator => page.getByRole("tablist", { name: "Sessions" }).getByRole("tab");

describe("keyboard shortcuts", () => {
  it("Ctrl+K goes to a channel, Alt+arrows step through them, Ctrl+Shift+O adds a session, ? lists them, Escape closes a thread", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 1280, height: 800 } });
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    await createChannel(page, "notes");
    await expect.poll(() => shownChannel(page)).toBe("# notes");

    // Ctrl+K, even from the composer: the switcher, its filter focused; typing filters, Enter opens.
    await composer(page).focus();
    await page.keyboard.press("Control+K");
    const switcher = page.getByRole("dialog", { name: "Go to channel" });
    await switcher.waitFor();
    const filter = switcher.getByRole("combobox", { name: "Channel name" });
    await expect.poll(() => filter.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    const options = switcher.getByRole("listbox", { name: "Channels" }).getByRole("option");
    await expect.poll(() => options.allInnerTexts()).toEqual([expect.stringContaining(ws.channel), expect.stringContaining("notes")]);
    expect(await options.first().getAttribute("aria-selected")).toBe("true");
    await screenshotLightAndDark(page, "shortcuts-switcher");
    await page.keyboard.type(ws.channel.slice(0, 3));
    await expect.poll(() => options.count()).toBe(1);
    await page.keyboard.press("Enter");
    await switcher.waitFor({ state: "detached" });
    await expect.poll(() => shownChannel(page)).toBe(`# ${ws.channel}`);

    // Escape closes it without going anywhere; ↓ then Enter opens the second.
    await page.keyboard.press("Control+K");
    await switcher.waitFor();
    await page.keyboard.press("Escape");
    await switcher.waitFor({ state: "detached" });
    expect(await shownChannel(page)).toBe(`# ${ws.channel}`);
    await page.keyboard.press("Control+K");
    await switcher.waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => shownChannel(page)).toBe("# notes");

    // Alt+↑ / Alt+↓: the channel above and below in the sidebar, none past the ends.
    await composer(page).focus();
    await page.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => shownChannel(page)).toBe(`# ${ws.channel}`);
    await page.keyboard.press("Alt+ArrowUp");
    await page.keyboard.press("Alt+ArrowDown");
    await expect.poll(() => shownChannel(page)).toBe("# notes");
    await page.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => shownChannel(page)).toBe(`# ${ws.channel}`);

    // Ctrl+Shift+O: a new session, selected; the button says it has the shortcut.
    expect(await page.getByRole("button", { name: "New session" }).getAttribute("aria-keyshortcuts")).toBe("Control+Shift+O");
    await tabs(page).first().waitFor();
    const before = await tabs(page).count();
    await page.keyboard.press("Control+Shift+O");
    await expect.poll(() => tabs(page).count()).toBe(before + 1);
    await expect.poll(() => page.getByRole("tab", { selected: true }).innerText()).toMatch(/^Session \d+$/);

    // `?` outside a text field lists the shortcuts; in the composer it is a character.
    await composer(page).focus();
    await page.keyboard.press("?");
    expect(await composer(page).inputValue()).toBe("?");
    await composer(page).fill("");
    await page.getByRole("main").getByRole("heading", { level: 2 }).first().click();
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    const terms = await help.getByRole("term").allInnerTexts();
    const defs = await help.getByRole("definition").allInnerTexts();
    expect(defs).toEqual(["Go to channel", "Previous channel", "Next channel", "New session", "Close the thread", "Debug log", "Keyboard shortcuts"]);
    expect(terms.map((t) => t.replace(/\s+/g, "+"))).toEqual(["Ctrl+K", "Alt+↑", "Alt+↓", "Ctrl+Shift+O", "Esc", "Ctrl+`", "?"]);
    await screenshotLightAndDark(page, "shortcuts-list");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });

    // Escape closes the thread: from the session's composer, and from inside the panel (once: the chat stays).
    const list = messages(page);
    await send(page, "a message for a thread");
    await waitForReply(page, list, "You said: a message for a thread");
    const openThread = async (): Promise<void> => {
      const parent = messageRows(list, "a message for a thread").first();
      await parent.hover();
      await parent.getByRole("button", { name: "Reply in thread" }).click();
      await threadPanel(page).waitFor();
    };
    await openThread();
    await composer(page).focus();
    await page.keyboard.press("Escape");
    await threadPanel(page).waitFor({ state: "detached" });
    await openThread();
    await threadPanel(page).getByRole("textbox", { name: "Reply", exact: true }).focus();
    await page.keyboard.press("Escape");
    await threadPanel(page).waitFor({ state: "detached" });
    await composer(page).waitFor();
    expect(await shownChannel(page)).toBe(`# ${ws.channel}`);
    expect(await page.getByRole("tab", { selected: true }).innerText()).toMatch(/^Session \d+$/);
  });
});
