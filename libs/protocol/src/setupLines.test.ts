import { describe, expect, it } from "vitest";
import { setupConfig, setupLines, shellQuote } from "./setupLines.js";

const input = { relayUrl: "https://chat.example.org", pairingToken: "bc_pat_abc", name: "Anna's gateway", plugin: "./botschat-openclaw-plugin-0.1.0.tgz" };

describe("setup lines for an OpenClaw gateway", () => {
  it("install the plugin, write the channel config in one batch, and ask for the passphrase without showing it", () => {
    const lines = setupLines(input);
    expect(lines[0]).toBe("openclaw plugins install ./botschat-openclaw-plugin-0.1.0.tgz --force --accept-capabilities");
    expect(lines[1]).toContain("openclaw config set --batch-json '");
    expect(lines[1]).toContain(`"path":"channels.botschat.cloudUrl","value":"https://chat.example.org"`);
    expect(lines[1]).toContain(`Anna'"'"'s gateway`);
    expect(lines[1]).not.toContain("e2ePassword");
    expect(lines[2]).toMatch(/^printf 'Workspace passphrase: '; stty -echo/);
    expect(lines[2]).toContain("openclaw config set --batch-file");
    expect(lines.at(-1)).toBe("openclaw channels status");
  });

  it("leave the passphrase out of the batch config", () => {
    expect(setupConfig(input).map((c) => c.path)).toEqual([
      "channels.botschat.enabled",
      "channels.botschat.cloudUrl",
      "channels.botschat.pairingToken",
      "channels.botschat.name",
    ]);
  });

  it("quote shell words only when needed", () => {
    expect(shellQuote("bc_pat_x")).toBe("bc_pat_x");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
  });
});
