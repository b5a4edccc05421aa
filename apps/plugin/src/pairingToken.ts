import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promptHidden } from "./readPassphrase.js";

/** Where the pairing token came from, or why there is none. */
export type PairingTokenResult = { ok: true; token: string; source: "given" | "file" | "stored" | "typed" } | { ok: false; message: string };

/** The file in the data directory that keeps the pairing token between starts (owner-only). */
export const storedTokenFile = (dataDir: string): string => join(dataDir, "pairing-token");

/**
 * The agent's pairing token: given (`--token` or `BOTSCHAT_PAIRING_TOKEN`), else the first line
 * of `--token-file`, else the one kept in the data directory from an earlier start, else asked
 * on the terminal without echo. A token given, read or typed is kept (mode 0600) so that the next
 * start needs none of them; so it never has to stand on a command line, in a shell's history or
 * in `ps`.
 */
export async function readPairingToken(opts: {
  given: string | undefined;
  file: string | undefined;
  dataDir: string;
  tty: boolean;
}): Promise<PairingTokenResult> {
  const found = await find(opts);
  if (found.ok && found.source !== "stored") await keep(opts.dataDir, found.token);
  return found;
}

/** Forgets the kept token (the relay refused it: the next start asks for a new one). */
export async function forgetPairingToken(dataDir: string): Promise<void> {
  await rm(storedTokenFile(dataDir), { force: true });
}

async function find(opts: { given: string | undefined; file: string | undefined; dataDir: string; tty: boolean }): Promise<PairingTokenResult> {
  if (opts.given !== undefined && opts.given.trim() !== "") return { ok: true, token: opts.given.trim(), source: "given" };
  if (opts.file !== undefined) {
    const line = await firstLine(opts.file);
    if (line === undefined) return { ok: false, message: `cannot read a pairing token from ${opts.file}` };
    return { ok: true, token: line, source: "file" };
  }
  const stored = await firstLine(storedTokenFile(opts.dataDir));
  if (stored !== undefined) return { ok: true, token: stored, source: "stored" };
  if (!opts.tty)
    return {
      ok: false,
      message: "no pairing token: run in a terminal to be asked for it, or use --token-file <path> or BOTSCHAT_PAIRING_TOKEN (create one in the web app)",
    };
  const typed = (await promptHidden("Pairing token (from the web app): ")).trim();
  return typed === "" ? { ok: false, message: "no pairing token given" } : { ok: true, token: typed, source: "typed" };
}

async function firstLine(file: string): Promise<string | undefined> {
  try {
    const line = (await readFile(file, "utf8")).split(/\r?\n/)[0]?.trim() ?? "";
    return line === "" ? undefined : line;
  } catch {
    return undefined;
  }
}

async function keep(dataDir: string, token: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = storedTokenFile(dataDir);
  await writeFile(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
