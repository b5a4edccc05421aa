import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMessage, str, type DocumentId, type SessionId } from "@botschat/model";
import { channelWithSession, repliesTo, startDevice, suite, until, type Device } from "./suite.js";

let device: Device;
let channelDoc: DocumentId;
let session: SessionId;

beforeAll(async () => {
  device = await startDevice();
  const made = await channelWithSession(device, "Relay restart");
  channelDoc = made.channel.doc;
  session = made.session;
});
afterAll(async () => {
  // The relay runs again for the files after this one, whatever happened here.
  await fetch(`${suite().relayControlUrl}/relay/start`, { method: "POST" });
  await device?.stop();
});

async function relay(action: "stop" | "start"): Promise<void> {
  const res = await fetch(`${suite().relayControlUrl}/relay/${action}`, { method: "POST" });
  expect(res.status).toBe(204);
}

const accountLine = async (): Promise<string> => /BotsChat[^\n]*/.exec(await suite().cli(["channels", "status"]))?.[0] ?? "";

describe("the gateway's account after a relay restart", () => {
  it("shows disconnected while the relay is down, reconnects by itself once it is back (same port and data), and answers a new message once", async () => {
    await until(async () => /\bconnected/.test(await accountLine()) && !/disconnected/.test(await accountLine()), "the account to be connected", 60_000);
    await relay("stop");
    await until(async () => /disconnected/.test(await accountLine()), "the account to show disconnected", 60_000);
    await relay("start");
    await until(
      async () => {
        const l = await accountLine();
        return /\bconnected/.test(l) && !/disconnected/.test(l);
      },
      "the account to connect again",
      90_000,
    );

    const sent = await sendMessage(device.engine, device.me, { channelDoc, session, text: "Hello after the relay came back" });
    await until(async () => (await repliesTo(device, sent.doc, sent.message)).length > 0, "the reply after the relay restart", 60_000);
    const replies = await repliesTo(device, sent.doc, sent.message);
    expect(replies).toHaveLength(1);
    expect(str(replies[0]!.text)).toBe("Reply 1 from mock-1: noted and understood.");
  });
});
