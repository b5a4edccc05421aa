import { describe, expect, it } from "vitest";
import { makeLogger } from "./log.js";

describe("structured log", () => {
  it("writes one JSON object per line and never a token, password or body", () => {
    const lines: string[] = [];
    const log = makeLogger("debug", (l) => lines.push(l));
    log.info("login from bc_ses_abcdefghijklmnopqrstuvwxyz0123456789AB", { password: "hunter22", token: "bc_pat_x", body: "secret", userId: "u_1" });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: "info", userId: "u_1", password: "[redacted]", token: "[redacted]", body: "[redacted]" });
    expect(lines[0]).not.toContain("abcdefghijklmnop");
    expect(lines[0]).not.toContain("hunter22");
  });

  it("[N22] never writes an invite code", () => {
    const lines: string[] = [];
    const log = makeLogger("debug", (l) => lines.push(l));
    log.info("registered with bc_inv_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", { invite: "bc_inv_x", note: "code bc_inv_abcdefghijklmnop" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ invite: "[redacted]", note: "code bc_inv_[redacted]" });
    expect(lines[0]).not.toContain("abcdefghijklmnop");
  });

  it("drops lines below the level", () => {
    const lines: string[] = [];
    const log = makeLogger("warn", (l) => lines.push(l));
    log.info("quiet");
    log.warn("loud");
    expect(lines).toHaveLength(1);
  });
});
