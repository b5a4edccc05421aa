import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import {
  composer,
  createChannel,
  eventually,
  messageRows,
  messages,
  openChannel,
  PATIENCE_MS,
  send,
  signInAndUnlock,
  threadPanel,
  waitForMessage,
  waitForReply,
} from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { agentRepliesTo, seedChannel, waitForGateway } from "./harness/seedWorkspace.js";

// A slow enough stream (25 ms a token, a long reply takes seconds) that a person sees it grow.
const fx = e2eForFile({ agentDelayMs: 25 });

describe("chat with the demo agent", () => {
  it("a person creates a channel bound to the demo agent, sends a message and watches the reply stream in, with Stop while it streams", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await createChannel(page, "Stories", "Demo agent");
    await send(page, "tell me a long story please");

    const list = messages(page);
    await waitForMessage(list, "tell me a long story please");
    // While the reply streams: a Stop button, and part of the text but not yet its end.
    const stop = list.getByRole("button", { name: "Stop" }).first();
    await stop.waitFor({ timeout: PATIENCE_MS });
    const partial = await eventually(
      () =>
        list
          .getByRole("article")
          .filter({ hasText: "Paragraph 1:" })
          .last()
          .innerText()
          .catch(() => ""),
      (t) => t.includes("Paragraph 1:"),
      "the first words of the reply",
    );
    expect(partial).not.toContain("Paragraph 12:");
    expect(await stop.isVisible()).toBe(true);
    const replying = list.getByRole("article", { name: /is replying$/ });
    expect(await replying.getAttribute("aria-busy")).toBe("true");
    await screenshotLightAndDark(page, "06-streaming-reply");

    // Then the whole reply, committed, and no Stop any more.
    const reply = await waitForReply(page, list, "Paragraph 12:");
    expect(await reply.innerText()).toContain("Demo reply");
    expect(await list.getByRole("button", { name: "Stop" }).count()).toBe(0);
    await eventually(
      () => agentRepliesTo(ws, "tell me a long story please"),
      (r) => r.replies === 1,
      "the reply in the workspace",
    );
  });

  it("a reply renders markdown: a code block and a table, in light and dark", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const list = messages(page);

    await send(page, "show me some code");
    const code = await waitForReply(page, list, "fibonacci");
    await code.getByRole("code").filter({ hasText: "export function fibonacci" }).first().waitFor();

    await send(page, "compare the models in a table");
    const table = await waitForReply(page, list, "Pick one with");
    await table.getByRole("table").waitFor();
    await table.getByRole("cell", { name: "demo/smart" }).waitFor();
    // No raw markdown left in what a person reads.
    expect(await table.innerText()).not.toContain("|---|");
    await screenshotLightAndDark(page, "07-workspace-markdown");
  });

  it("a person opens a thread on a message, replies there, the agent answers in the thread and the message shows its reply count", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const list = messages(page);

    await send(page, "a message to discuss in a thread");
    await waitForReply(page, list, "You said: a message to discuss in a thread");
    const parent = messageRows(list, "a message to discuss in a thread").first();
    await parent.hover();
    await parent.getByRole("button", { name: "Reply in thread" }).click();

    const panel = threadPanel(page);
    await panel.waitFor();
    await panel.getByText("a message to discuss in a thread").first().waitFor();
    await send(page, "and a table for the thread", panel, "Reply");
    const answer = await waitForReply(page, panel, "Pick one with");
    expect(await answer.innerText()).toContain("In reply to: a message to discuss in a thread");
    // The quoted context is the reply's, not the collapsed Reasoning's: drawn unlike the reasoning's body.
    const look = (selector: string) =>
      answer
        .locator(selector)
        .first()
        .evaluate((el) => {
          const s = el.ownerDocument.defaultView!.getComputedStyle(el);
          return { border: s.borderLeftColor, background: s.backgroundColor };
        });
    await answer.getByText("Reasoning").click();
    const [quote, reasoning] = await Promise.all([look(".md blockquote"), look(".activity-body")]);
    expect(quote.border).not.toBe(reasoning.border);
    expect(quote.background).not.toBe(reasoning.background);
    await answer.getByText("Reasoning").click();
    await parent.getByText(/\b[12] repl(y|ies)\b/).waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(page, "08-thread-panel");
    // The thread's messages stay in the thread: the session shows the thread reply only as a count.
    expect(await messageRows(list, "and a table for the thread").count()).toBe(0);
  });

  it("on a touch phone, a tap on a message opens that message's actions as a sheet, and Reply in thread opens its own thread", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInAndUnlock(page, ws);
    await page.getByRole("main").getByRole("button", { name: "Back" }).click();
    await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: ws.channel, exact: true }).click();
    const list = messages(page);
    await send(page, "first of two on the phone");
    await waitForReply(page, list, "You said: first of two on the phone");
    await send(page, "second of two on the phone");
    await waitForReply(page, list, "You said: second of two on the phone");

    // No hover toolbar on touch; a tap on the first message (not the one below it) offers its actions.
    const first = messageRows(list, "first of two on the phone").first();
    await first.getByText("first of two on the phone").tap();
    const sheet = page.getByRole("dialog", { name: "Message actions" });
    await sheet.waitFor();
    await expect(sheet.getByText(/first of two on the phone/)).toBeTruthy();
    expect(await sheet.getByRole("button").allInnerTexts()).toEqual(["Reply in thread", "Quote", "Copy", "Edit", "Cancel"]);
    await screenshotLightAndDark(page, "phone-message-sheet");
    await sheet.getByRole("button", { name: "Reply in thread" }).tap();
    const panel = threadPanel(page);
    await panel.waitFor();
    await panel.getByText("first of two on the phone").first().waitFor();
    expect(await panel.getByText("second of two on the phone").count()).toBe(0);
  });

  it("on a phone, the channels open from a button and the chat fills the screen", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInAndUnlock(page, ws);
    const channels = page.getByRole("navigation", { name: "Channels" });
    const showChannels = page.getByRole("main").getByRole("button", { name: "Back" });
    await showChannels.click();
    await channels.getByRole("button", { name: ws.channel, exact: true }).click();
    // The composer takes clicks (a click on a control covered by the channel list would fail).
    const list = messages(page);
    await send(page, "hello from a phone");
    await waitForReply(page, list, "You said: hello from a phone");
    await screenshotLightAndDark(page, "09-phone-chat");

    // An on-screen keyboard takes the lower part of the screen: the composer stays above it.
    await composer(page).focus();
    await page.setViewportSize({ width: 390, height: 480 });
    await expect.poll(async () => (await composer(page).boundingBox())?.y ?? 9999).toBeLessThan(480 - 40);
    const sendButton = await page.getByRole("main").getByRole("button", { name: "Send" }).boundingBox();
    expect(sendButton !== null && sendButton.y + sendButton.height <= 480).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });

    // A longer name shows whole in the header beside the model picker, which gives way first.
    await seedChannel(ws, await waitForGateway(ws), "Research notes");
    await showChannels.click();
    await channels.getByRole("button", { name: "Research notes", exact: true }).click();
    const title = page.getByRole("heading", { name: "# Research notes", exact: true });
    await title.waitFor();
    await screenshotLightAndDark(page, "phone-header-long-name");
    expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
    await page.getByRole("combobox", { name: "Model" }).waitFor();
  });
});
