import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { type RelayProcess, startRelayForBench } from "@botschat/relay-testkit";
import { launchChromium } from "../e2e/harness/chromium.js";

/** What a browser benchmark runs against. */
export interface WebBench {
  relay: RelayProcess;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * Builds the web app with vite into a folder of this process (so a rebuild of `apps/web/dist`
 * meanwhile cannot change what is measured), starts the relay serving it (a private copy of the
 * relay bundle, append rate raised for seeding) and headless Chromium.
 */
export async function startWebBench(): Promise<WebBench> {
  const dir = mkdtempSync(join(tmpdir(), "botschat-bench-web-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const outDir = join(dir, "dist");
  execFileSync("pnpm", ["exec", "vite", "build", "--logLevel", "error", "--outDir", outDir, "--emptyOutDir"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Served by the relay (a flag: the kit starts relays with no web folder unless told).
  const [relay, browser] = await Promise.all([startRelayForBench(["--web", outDir]), launchChromium()]);
  return {
    relay,
    browser,
    stop: async () => {
      await browser.close();
      await relay.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * In-page helpers for timing, installed as a string (they run in the page, not in Node).
 * `__arm(text)` starts watching the DOM for `text` and `__seen` resolves with the wall-clock time
 * (`performance.timeOrigin + performance.now()`, comparable across pages of one browser) of the
 * first DOM change that shows it; `__lastClick` is the wall-clock time of the latest click.
 */
export const PAGE_TIMERS = `
  window.__now = () => performance.timeOrigin + performance.now();
  document.addEventListener("click", () => { window.__lastClick = window.__now(); }, true);
  window.__arm = (text) => {
    window.__seen = new Promise((resolve) => {
      const check = () => {
        if (!document.body.textContent.includes(text)) return false;
        observer.disconnect();
        resolve(window.__now());
        return true;
      };
      const observer = new MutationObserver(check);
      if (!check()) observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    return true;
  };
`;

/** `promise`, or a rejection naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
