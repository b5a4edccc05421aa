import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { messageRows, messages, openChannel, PATIENCE_MS, send, signInAndUnlock, waitForMessage, waitForReply } from "./harness/person.js";

const fx = e2eForFile();

describe("two devices of one person", () => {
  it("a second device signs in, unlocks and sees the same history, and what it sends shows on the first device, with the agent's answer", async () => {
    const ws = await fx.agentWorkspace();
    const first = await fx.device();
    await signInAndUnlock(first.page, ws);
    await openChannel(first.page, ws.channel);
    const onFirst = messages(first.page);
    await send(first.page, "written on the laptop");
    await waitForReply(first.page, onFirst, "You said: written on the laptop");

    const second = await fx.device();
    await signInAndUnlock(second.page, ws);
    await openChannel(second.page, ws.channel);
    const onSecond = messages(second.page);
    await waitForMessage(onSecond, "written on the laptop");
    await waitForMessage(onSecond, "You said: written on the laptop");

    await send(second.page, "written on the phone");
    await waitForMessage(onFirst, "written on the phone", PATIENCE_MS);
    await waitForReply(first.page, onFirst, "You said: written on the phone");
    await waitForReply(second.page, onSecond, "You said: written on the phone");
    // One message and one answer each, on both devices.
    for (const list of [onFirst, onSecond]) {
      expect(await messageRows(list, "You said: written on the phone").count()).toBe(1);
      expect(await messageRows(list, "You said: written on the laptop").count()).toBe(1);
    }
  });
});
