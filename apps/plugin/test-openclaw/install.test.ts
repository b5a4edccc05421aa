import { describe, expect, it } from "vitest";
import { suite, until } from "./suite.js";

describe("the plugin installed from its packed tarball", () => {
  it("is listed as loaded, and the channel account shows connected", async () => {
    const s = suite();
    const plugins = await s.cli(["plugins", "list"]);
    expect(plugins).toMatch(/botschat[^\n]*(enabled|loaded)/i);
    let status = "";
    await until(
      async () => {
        status = await s.cli(["channels", "status"]);
        return /BotsChat[^\n]*connected/i.test(status) && !/disconnected/i.test(status);
      },
      "openclaw channels status to show the account connected",
      60_000,
    );
    expect(status).toMatch(/BotsChat default \(Test OpenClaw\): enabled, configured, running, connected/);
  });
});
