import { afterAll, beforeAll } from "vitest";
import { acquireLock } from "@botschat/relay-testkit/exclusive";

// A setup file of the browser suites: a file holds the run's "web-e2e" lock from before its own
// hooks to after them, so one browser runs at a time, while the OpenClaw suite's files run beside.
let release: (() => void) | undefined;
beforeAll(async () => {
  release = await acquireLock("web-e2e");
}, 60 * 60_000);
afterAll(() => release?.());
