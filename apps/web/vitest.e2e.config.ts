import { defineProject } from "vitest/config";

/**
 * The browser suites (apps/web/e2e): real Chromium against the real relay and demo agent. They run
 * after every other project (a later `groupOrder`), so a 2-core machine does not run a browser
 * beside the rest of the suite, and one file at a time (each holds the run's "web-e2e" lock:
 * e2e/harness/oneFileAtATime.ts), beside the OpenClaw suite's files, which share the group.
 */
export default defineProject({
  test: {
    name: "web-e2e",
    environment: "node",
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/harness/globalSetup.ts"],
    setupFiles: ["e2e/harness/oneFileAtATime.ts"],
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
