import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import {
  composer,
  eventually,
  messageRows,
  messages,
  openChannel,
  PATIENCE_MS,
  send,
  signInAndUnlock,
  syncStatus,
  unlock,
  waitForMessage,
  waitForReply,
} from "./harness/person.js";
import { agentRepliesTo } from "./harness/seedWorkspace.js";

const fx = e2eForFile();

describe("offline", () => {
  it("offline, the app reloads and shows the history; two messages written then are queued, and once back online each is answered exactly once, in order, under its message", async () => {
    const ws = await fx.agentWorkspace();
    const { context, page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    const list = messages(page);
    await send(page, "before the train enters the tunnel");
    await waitForReply(page, list, "You said: before the train enters the tunnel");
    // The service worker has the app shell once it controls the page.
    await page.evaluate("navigator.serviceWorker.ready");

    const header = page.getByRole("main");
    await header
      .getByLabel(/ is online$/)
      .first()
      .waitFor({ timeout: PATIENCE_MS });
    await context.setOffline(true);
    // Without a connection nobody is known to be connected: the agent no longer shows as online.
    await header
      .getByLabel(/ is offline$/)
      .first()
      .waitFor({ timeout: PATIENCE_MS });
    await page.reload();
    // Keys are not kept unless asked: the local vault lets the passphrase unlock offline.
    const unlockButton = page.getByRole("button", { name: "Unlock" });
    const channels = page.getByRole("navigation", { name: "Channels" });
    await unlockButton.or(channels).first().waitFor({ timeout: PATIENCE_MS });
    if (await unlockButton.isVisible()) await unlock(page, ws.passphrase);
    await syncStatus(page, /^Offline/).waitFor({ timeout: PATIENCE_MS });
    await openChannel(page, ws.channel);
    await waitForMessage(list, "before the train enters the tunnel");
    await waitForMessage(list, "You said: before the train enters the tunnel");

    await send(page, "first words in the tunnel");
    await send(page, "second words in the tunnel");
    for (const text of ["first words in the tunnel", "second words in the tunnel"]) {
      const row = await waitForMessage(list, text);
      await row.getByText(/queued/i).waitFor();
    }
    expect(await composer(page).inputValue()).toBe("");

    await context.setOffline(false);
    for (const text of ["first words in the tunnel", "second words in the tunnel"]) {
      await waitForReply(page, list, `You said: ${text}`, 30_000);
    }
    await syncStatus(page, /^Live/).waitFor({ timeout: PATIENCE_MS });
    for (const text of ["first words in the tunnel", "second words in the tunnel"]) {
      // Once in the workspace (the agent's device and this one agree) and once on screen.
      const seen = await eventually(
        () => agentRepliesTo(ws, text),
        (r) => r.asked >= 1 && r.replies >= 1,
        `the answer to "${text}"`,
      );
      expect(seen).toEqual({ asked: 1, replies: 1 });
      expect(await messageRows(list, `You said: ${text}`).count()).toBe(1);
      expect(
        await messageRows(list, text)
          .filter({ hasNotText: "You said" })
          .getByText(/queued/i)
          .count(),
      ).toBe(0);
    }
    // Answered in the order written, each answer under its message.
    const rows = (await list.getByRole("article").allInnerTexts()).map((t) =>
      t.includes("You said: first words")
        ? "a1"
        : t.includes("You said: second words")
          ? "a2"
          : t.includes("first words")
            ? "q1"
            : t.includes("second words")
              ? "q2"
              : "",
    );
    expect(rows.filter((r) => r !== "")).toEqual(["q1", "a1", "q2", "a2"]);
  });

  it("a tab closed the moment Send has cleared the composer keeps the message: reopened, it is there, queued, and goes once online", async () => {
    const ws = await fx.agentWorkspace();
    const { context, page } = await fx.device();
    await signInAndUnlock(page, ws);
    await openChannel(page, ws.channel);
    await page.evaluate("navigator.serviceWorker.ready");
    await context.setOffline(true);
    await syncStatus(page, /^Offline/).waitFor({ timeout: PATIENCE_MS });
    const texts = ["closed at once, one", "closed at once, two", "closed at once, three"];
    let tab = page;
    for (const text of texts) {
      // Send, and close the tab as soon as the composer is empty again: no wait for anything else.
      await send(tab, text);
      await tab.close();
      tab = await context.newPage();
      await tab.goto("/");
      const unlockButton = tab.getByRole("button", { name: "Unlock" });
      await unlockButton
        .or(tab.getByRole("navigation", { name: "Channels" }))
        .first()
        .waitFor({ timeout: PATIENCE_MS });
      if (await unlockButton.isVisible()) await unlock(tab, ws.passphrase);
      await openChannel(tab, ws.channel);
      await waitForMessage(messages(tab), text);
    }
    // Each reads as queued (once the reopened page knows it is offline).
    for (const text of texts)
      await messageRows(messages(tab), text)
        .getByText(/queued/i)
        .first()
        .waitFor({ timeout: PATIENCE_MS });
    await context.setOffline(false);
    for (const text of texts) await waitForReply(tab, messages(tab), `You said: ${text}`, 30_000);
  });
});
