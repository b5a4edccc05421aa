import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRoot, str, type GatewayId } from "@botschat/model";
import { GATEWAY_ID, startDevice, suite, until, type Device } from "./suite.js";

let device: Device;
beforeAll(async () => {
  device = await startDevice();
});
afterAll(() => device?.stop());

const cronNames = async (): Promise<string[]> => {
  const out = await suite().cli(["cron", "list", "--all", "--json"]);
  return ((JSON.parse(out.slice(out.indexOf("{"))) as { jobs?: { name: string }[] }).jobs ?? []).map((j) => j.name);
};
const publishedName = async () => str((await openRoot(device.engine)).doc().gateways[GATEWAY_ID as GatewayId]?.name);

describe("a config edit of channels.botschat", () => {
  it("restarts only the channel; on reconnecting it publishes the new name and removes tagged cron jobs whose task is gone", async () => {
    const s = suite();
    await s.cli([
      "cron",
      "add",
      "--name",
      "BotsChat: orphan",
      "--description",
      "botschat-task default t_nosuchtask0001",
      "--every",
      "1h",
      "--session",
      "isolated",
      "--message",
      "CRON:orphan",
      "--disabled",
    ]);
    expect(await cronNames()).toContain("BotsChat: orphan");
    try {
      const out = await s.cli(["config", "set", "channels.botschat.name", "Renamed OpenClaw"]);
      expect(out).not.toMatch(/Restart the gateway/i);
      await until(async () => (await publishedName()) === "Renamed OpenClaw", "the new name to be published", 60_000);
      await until(async () => !(await cronNames()).includes("BotsChat: orphan"), "the orphan job to be removed", 30_000);
      expect(await cronNames()).toContain("heartbeat-main");
    } finally {
      await s.cli(["config", "set", "channels.botschat.name", "Test OpenClaw"]);
      await until(async () => (await publishedName()) === "Test OpenClaw", "the name to be back", 60_000);
    }
  });
});
