import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIdentity } from "./loadIdentity.js";

const dir = mkdtempSync(join(tmpdir(), "botschat-identity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadIdentity", () => {
  it("makes an identity once and keeps it; a given gateway id replaces the stored one but not the instance", async () => {
    const first = await loadIdentity(dir);
    expect(first.gateway).toMatch(/^demo-[0-9a-f]{12}$/);
    expect(await loadIdentity(dir)).toEqual(first);
    const named = await loadIdentity(dir, "gw-lab");
    expect(named).toEqual({ gateway: "gw-lab", instance: first.instance });
    expect(JSON.parse(readFileSync(join(dir, "agent.json"), "utf8"))).toEqual(named);
  });

  it("keeps the identity to its owner: the data directory 0700, agent.json 0600", async () => {
    const data = join(dir, "fresh", "agent");
    await loadIdentity(data);
    expect((statSync(data).mode & 0o777).toString(8)).toBe("700");
    expect((statSync(join(data, "agent.json")).mode & 0o777).toString(8)).toBe("600");
  });

  it("refuses a gateway id with spaces", async () => {
    await expect(loadIdentity(dir, "my gateway")).rejects.toThrow(/printable characters without spaces/);
  });
});
