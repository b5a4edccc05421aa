import { defineProject } from "vitest/config";

/**
 * The browser suites (apps/web/e2e): real Chromium against the real relay and demo agent. They run
 * after every other project (a later `groupOrder`) and one file at a time, so a 2-core machine
 * does not run a browser beside the rest of the suite.
 */
export default defineProject({
  test: {
    name: "web-e2e",
    environment: "node",
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/harness/globalSetup.ts"],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
