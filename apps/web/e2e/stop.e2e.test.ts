import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForMessage, waitForReply } from "./harness/person.js";

const fx = e2eForFile({ agentDelayMs: 40 });

describe("stopping a reply", () => {
  it("Stop ends a streaming reply early: the message says it was stopped and offers Retry", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const list = messages(page);
    await send(page, "tell me a long story to stop");
    await waitForMessage(list, "Paragraph 1:");
    await list.getByRole("button", { name: "Stop" }).click();
    const asked = messageRows(list, "tell me a long story to stop").first();
    await asked.getByText(/^Stopped/).waitFor({ timeout: PATIENCE_MS });
    await asked.getByRole("button", { name: "Retry" }).waitFor();
    expect(await list.getByText("Paragraph 12:").count()).toBe(0);
  });

  it("a device that opens the chat while a reply streams shows the reply so far (it asks for it), then follows it to the end", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    await send(page, "tell me a long story for a late device");
    await waitForMessage(messages(page), "Paragraph 2:");

    const late = (await fx.device()).page;
    await signInAndUnlock(late, ws);
    await openChannel(late, ws.channel);
    // Its first frames only add to what it never saw: the words from before it came need a keyframe.
    const streaming = messages(late).getByRole("article", { name: /is replying$/ });
    await streaming.getByText(/Paragraph 1:/).waitFor({ timeout: PATIENCE_MS });
    expect(await messages(page).getByText("Paragraph 12:").count()).toBe(0);
    await waitForReply(late, messages(late), "Paragraph 12:");
  });

  it("an edited older message's answer streams in its place, above the messages written after it", async () => {
    const ws = await fx.agentWorkspace();
    const { page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const list = messages(page);
    await send(page, "a first short question");
    await waitForReply(page, list, "You said: a first short question");
    await send(page, "and then a second question");
    await waitForReply(page, list, "You said: and then a second question");
    // The first question, edited into one whose answer takes a while: it streams under the first.
    const first = messageRows(list, "a first short question").filter({ hasNotText: "You said" }).first();
    await first.hover();
    await first.getByRole("button", { name: "Edit message" }).click();
    await list.getByRole("textbox", { name: "Edit message" }).fill("tell me a long story, edited");
    await list.getByRole("button", { name: "Save" }).click();
    await waitForMessage(list, "Paragraph 1:");
    await page.mouse.move(5, 5);
    await screenshotLightAndDark(page, "edit-streams-in-place-desktop");
    const order = await list
      .getByRole("article")
      .evaluateAll((rows) => rows.map((r) => (r.getAttribute("aria-label")?.endsWith("is replying") ? "streaming" : (r.textContent ?? ""))));
    const streaming = order.indexOf("streaming");
    const second = order.findIndex((t) => t.includes("and then a second question") && !t.includes("You said"));
    expect(streaming).toBeGreaterThan(0);
    expect(streaming).toBeLessThan(second);
    await list.getByRole("button", { name: "Stop" }).click();
  });
});
