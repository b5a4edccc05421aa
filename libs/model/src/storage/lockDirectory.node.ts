import { randomUUID } from "node:crypto";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** The lock file's name inside a locked directory. */
export const LOCK_FILE = "lock";

/** Directories this process holds, so a second open in the same process fails too. */
const held = new Set<string>();

const errCode = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return errCode(e) === "EPERM";
  }
}

/**
 * Takes `dir` for this process: creates `dir/lock` holding the process id, or fails when a live
 * process (or this one) holds it already. A lock left by a process that died is taken over; one
 * that names this process's own id but is not held by it is left over from a predecessor that
 * had the same id (containers reuse low ids) and is taken over too. Returns the release function.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const key = resolve(dir);
  if (held.has(key)) throw new Error(`${dir} is already open in this process`);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 1; attempt <= 3; attempt++) {
    // Written aside and linked into place, so the lock never exists without its process id.
    const temp = join(dir, `${LOCK_FILE}.${randomUUID()}`);
    await writeFile(temp, String(process.pid), { mode: 0o600 });
    try {
      await link(temp, path);
      held.add(key);
      return async () => {
        held.delete(key);
        await rm(path, { force: true });
      };
    } catch (e) {
      if (errCode(e) !== "EEXIST") throw e;
    } finally {
      await rm(temp, { force: true });
    }
    const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new Error(`${dir} is in use by process ${pid}`);
    }
    await rm(path, { force: true });
  }
  throw new Error(`could not lock ${dir}`);
}
