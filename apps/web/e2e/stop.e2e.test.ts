import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForMessage } from "./harness/person.js";

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
});
