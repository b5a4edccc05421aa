import { readFile } from "node:fs/promises";

/** Where the passphrase came from, or why there is none. */
export type ReadPassphraseResult = { ok: true; passphrase: string } | { ok: false; message: string };

/**
 * The workspace passphrase: from `file` (its first line), else `BOTSCHAT_PASSPHRASE`, else asked
 * on the terminal without echo. Never from a flag.
 */
export async function readPassphrase(file: string | undefined, env: Record<string, string | undefined>): Promise<ReadPassphraseResult> {
  if (file !== undefined) {
    try {
      const line = (await readFile(file, "utf8")).split(/\r?\n/)[0] ?? "";
      return line.length > 0 ? { ok: true, passphrase: line } : { ok: false, message: `${file} is empty` };
    } catch (e) {
      return { ok: false, message: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  const fromEnv = env["BOTSCHAT_PASSPHRASE"];
  if (fromEnv !== undefined && fromEnv.length > 0) return { ok: true, passphrase: fromEnv };
  if (!process.stdin.isTTY) return { ok: false, message: "no passphrase: use --passphrase-file <path> or BOTSCHAT_PASSPHRASE, or run in a terminal" };
  const typed = await promptHidden("Workspace passphrase: ");
  return typed.length > 0 ? { ok: true, passphrase: typed } : { ok: false, message: "no passphrase given" };
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo goes off before the question shows, so nothing typed right after it is echoed.
    stdin.setRawMode(true);
    process.stdout.write(question);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const done = (result: string | Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(value);
        if (ch === "\u0003") return done(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
