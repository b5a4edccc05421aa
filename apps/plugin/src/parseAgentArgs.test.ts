import { describe, expect, it } from "vitest";
import { parseAgentArgs } from "./parseAgentArgs.js";

describe("parseAgentArgs", () => {
  it("reads flags in both forms, and falls back to environment variables, then defaults", () => {
    const r = parseAgentArgs(["--demo", "--relay=https://chat.example.com/", "--name", "Lab"], {
      BOTSCHAT_PAIRING_TOKEN: "bc_pat_x",
      BOTSCHAT_AGENT_DATA: "/d",
    });
    expect(r).toMatchObject({
      ok: true,
      args: { demo: true, relayUrl: "https://chat.example.com", name: "Lab", token: "bc_pat_x", dataDir: "/d", delayMs: 20, connectRetries: 5 },
    });
    expect(parseAgentArgs([], {})).toMatchObject({ ok: true, args: { relayUrl: "http://127.0.0.1:8787", name: "Demo agent", demo: false } });
  });

  it("a flag wins over its environment variable", () => {
    expect(parseAgentArgs(["--token", "from-flag"], { BOTSCHAT_PAIRING_TOKEN: "from-env" })).toMatchObject({ ok: true, args: { token: "from-flag" } });
  });

  it("never takes the passphrase as a flag", () => {
    for (const argv of [["--passphrase", "x"], ["--passphrase=x"]]) {
      expect(parseAgentArgs(argv, {})).toMatchObject({ ok: false, message: expect.stringContaining("never a flag") as string });
    }
  });

  it("refuses unknown options, missing values, bad numbers and a relay that is not an http URL", () => {
    expect(parseAgentArgs(["--nope"], {})).toMatchObject({ ok: false, message: "unknown option --nope" });
    expect(parseAgentArgs(["--token"], {})).toMatchObject({ ok: false, message: "--token needs a value" });
    expect(parseAgentArgs(["--delay-ms", "fast"], {})).toMatchObject({ ok: false });
    expect(parseAgentArgs(["--relay", "ws://x"], {})).toMatchObject({ ok: false });
  });
});
