import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Ends a benchmark that is still running after `seconds` (it hangs: a peer that never answered),
 * saying which one, so that `pnpm bench` goes on to the next.
 *
 * @example
 * giveUpAfter(120, import.meta.url);
 */
export function giveUpAfter(seconds: number, benchUrl: string): void {
  setTimeout(() => {
    console.error(`${basename(fileURLToPath(benchUrl))}: still running after ${seconds} s, giving up`);
    process.exit(1);
  }, seconds * 1000).unref();
}
