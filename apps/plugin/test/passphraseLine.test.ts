import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PASSPHRASE_LINE } from "@botschat/protocol";

// The pasted passphrase line, run for real in the shells people have (bash on Linux, zsh on
// macOS, sh), against a stand-in `openclaw` that records its arguments and the batch it reads.
const dir = mkdtempSync(join(tmpdir(), "botschat-passphrase-line-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const record = join(dir, "record");
writeFileSync(
  join(dir, "openclaw"),
  `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.args"\ncat "$4" > "${record}.batch"\nls -l "$4" | cut -c1-10 > "${record}.mode"\n`,
);
chmodSync(join(dir, "openclaw"), 0o755);
const PATH = `${dir}:${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`;
const shells = ["bash", "zsh", "sh"].filter((s) => spawnSync("sh", ["-c", `command -v ${s}`]).status === 0);

describe("the pasted passphrase line", () => {
  it.each(shells)("in %s, writes the passphrase through a private batch file, never as an argument, whatever it holds", (shell) => {
    const passphrase = `a "tricky" pass $HOME \\ it's 'quoted' ~ ✓`;
    execFileSync(shell, ["-c", PASSPHRASE_LINE], { input: `${passphrase}\n`, env: { ...process.env, PATH }, stdio: ["pipe", "pipe", "pipe"] });
    const args = readFileSync(`${record}.args`, "utf8");
    expect(args.split("\n").slice(0, 3)).toEqual(["config", "set", "--batch-file"]);
    expect(args).not.toContain("tricky");
    expect(JSON.parse(readFileSync(`${record}.batch`, "utf8"))).toEqual([{ path: "channels.botschat.e2ePassword", value: passphrase }]);
    expect(readFileSync(`${record}.mode`, "utf8").trim()).toBe("-rw-------");
  });
});
