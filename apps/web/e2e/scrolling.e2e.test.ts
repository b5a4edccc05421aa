import { createChannel, createSession, sendMessage, type AgentId, type GatewayId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForMessage } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { seedWorkspace } from "./harness/seedWorkspace.js";

const fx = e2eForFile();

/** Whether a row's box lies inside the message list's visible box. */
async function inView(list: ReturnType<typeof messages>, text: string): Promise<boolean> {
  const [row, box] = await Promise.all([messageRows(list, text).last().boundingBox(), list.boundingBox()]);
  return row !== null && box !== null && row.y >= box.y - 1 && row.y + row.height <= box.y + box.height + 1;
}

describe("scrolling a conversation", () => {
  it("messages arriving while the person reads back are counted on Jump to latest, which brings them into view; sending scrolls to the person's own message, which says the offline agent it waits for", async () => {
    const ws = await seedWorkspace(fx.relay.url, "scrolling");
    try {
      // A long conversation written by another device of the person (no agent: nobody answers).
      const channel = await createChannel(ws.observer, ws.me, { name: "Long read", gateway: "gw-none" as GatewayId, agentId: "main" as AgentId });
      const { session } = await createSession(ws.observer, ws.me, { channelDoc: channel.doc, title: "History" });
      for (let i = 1; i <= 40; i++) await sendMessage(ws.observer, ws.me, { channelDoc: channel.doc, session, text: `old message ${i}` });
      await ws.observer.whenIdle();

      const { page } = await fx.device({ viewport: { width: 1280, height: 800 } });
      await signInAndUnlock(page, ws);
      await openChannel(page, "Long read");
      const list = messages(page);
      await waitForMessage(list, "old message 40");
      await expect.poll(() => inView(list, "old message 40"), { timeout: PATIENCE_MS }).toBe(true);
      const jump = page.getByRole("button", { name: /^Jump to latest/ });
      expect(await jump.count()).toBe(0);

      // Reading back: three new messages arrive, none scrolls the reader away.
      await list.evaluate((el) => (el.scrollTop = 0));
      await jump.waitFor();
      for (const text of ["new one", "new two", "new three"]) await sendMessage(ws.observer, ws.me, { channelDoc: channel.doc, session, text });
      await ws.observer.whenIdle();
      await page.getByRole("button", { name: "Jump to latest (3 new)" }).waitFor({ timeout: PATIENCE_MS });
      expect(await inView(list, "new three")).toBe(false);
      await screenshotLightAndDark(page, "jump-to-latest");
      await jump.click();
      await expect.poll(() => inView(list, "new three")).toBe(true);
      expect(await jump.count()).toBe(0);

      // Read back again, then send: the person's own message comes into view at once.
      await list.evaluate((el) => (el.scrollTop = 0));
      await jump.waitFor();
      await send(page, "my answer while reading back");
      await waitForMessage(list, "my answer while reading back");
      await expect.poll(() => inView(list, "my answer while reading back")).toBe(true);
      expect(await jump.count()).toBe(0);
      // Nobody is connected to answer in this channel: the composer and the message say so.
      await page.getByRole("main").getByRole("status").filter({ hasText: "Agent is offline: messages wait here until it connects" }).waitFor();
      await messageRows(list, "my answer while reading back").getByText("Sent · waiting for Agent").waitFor({ timeout: PATIENCE_MS });
    } finally {
      await ws.stop();
    }
  });
});

describe("session tabs on a phone", () => {
  it("the selected tab is always in view among eight, and New session stays on the row", async () => {
    const ws = await seedWorkspace(fx.relay.url, "tabs");
    try {
      const channel = await createChannel(ws.observer, ws.me, { name: "Many", gateway: "gw-none" as GatewayId, agentId: "main" as AgentId });
      for (let i = 1; i <= 8; i++) await createSession(ws.observer, ws.me, { channelDoc: channel.doc, title: `Session number ${i}` });
      await ws.observer.whenIdle();
      const { page } = await fx.device({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await signInAndUnlock(page, ws);
      await page.getByRole("main").getByRole("button", { name: "Back" }).click();
      await page.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: "Many", exact: true }).click();
      const strip = page.getByRole("tablist", { name: "Sessions" });
      await strip.getByRole("tab").nth(7).waitFor();
      const visible = async (): Promise<boolean> => {
        const [tab, box] = await Promise.all([strip.getByRole("tab", { selected: true }).boundingBox(), strip.boundingBox()]);
        return tab !== null && box !== null && tab.x >= box.x - 1 && tab.x + tab.width <= box.x + box.width + 1;
      };
      // From the first tab, Left wraps to the last one, far off to the right.
      await strip.getByRole("tab").first().click();
      await page.keyboard.press("ArrowLeft");
      await expect.poll(async () => (await strip.getByRole("tab", { selected: true }).innerText()).trim()).toBe("Session number 8");
      await expect.poll(visible).toBe(true);
      await page.keyboard.press("ArrowRight");
      await expect.poll(async () => (await strip.getByRole("tab", { selected: true }).innerText()).trim()).toBe("Session number 1");
      await expect.poll(visible).toBe(true);
      // New session is still on the row, whole.
      const add = await page.getByRole("button", { name: "New session" }).boundingBox();
      expect(add !== null && add.x + add.width <= 390).toBe(true);
      await screenshotLightAndDark(page, "phone-session-tabs");
    } finally {
      await ws.stop();
    }
  });
});
