import { afterAll, beforeAll, inject } from "vitest";
import { acquireLock } from "@botschat/relay-testkit/exclusive";

// A setup file of the suite, run before each file's own hooks. The files share one gateway, so a
// file holds the run's "plugin-openclaw" lock until after its last hook (one file at a time,
// while the browser suites' files run beside). The global setup starts the gateway in the
// background while other projects' tests run; a file begins once it is ready (or fails with the
// setup's error).
let release: (() => void) | undefined;
beforeAll(async () => {
  release = await acquireLock("plugin-openclaw");
  const res = await fetch(`${inject("openclaw").relayControlUrl}/ready`);
  if (res.status !== 204) throw new Error(`the OpenClaw gateway's setup failed:\n${await res.text()}`);
}, 60 * 60_000);
afterAll(() => release?.());
