import { describe, expect, it } from "vitest";
import { setupLines, shellQuote } from "@botschat/protocol";
import { connectLines, OPENCLAW_PLUGIN_PATH } from "./connectLines.js";

const input = { relayUrl: "https://chat.example.org", pairingToken: "bc_pat_abc123", name: "Home gateway" };

describe("connectLines", () => {
  it("are exactly the OpenClaw plugin's setup lines for this relay, token and name", () => {
    expect(connectLines(input).openclaw).toEqual(setupLines({ ...input, plugin: OPENCLAW_PLUGIN_PATH }));
  });

  it("carry the relay URL, the token and the name, and ask for the passphrase instead of holding it", () => {
    const { openclaw, demo } = connectLines(input);
    const text = openclaw.join("\n");
    expect(text).toContain('"value":"https://chat.example.org"');
    expect(text).toContain('"value":"bc_pat_abc123"');
    expect(text).toContain('"value":"Home gateway"');
    expect(text).toContain("printf 'Workspace passphrase: '");
    expect(text).not.toMatch(/e2ePassword","value"/);
    expect(demo).toBe(`pnpm agent:demo --relay https://chat.example.org --name ${shellQuote(input.name)}`);
    expect(demo).not.toContain(input.pairingToken);
  });

  it("quote a name with a quote in it so the shell reads it back unchanged", () => {
    expect(shellQuote("Bob's gateway")).toBe(`'Bob'"'"'s gateway'`);
    expect(connectLines({ ...input, name: "Bob's gateway" }).openclaw[1]).toContain(`"value":"Bob'"'"'s gateway"`);
  });
});
