import { defineProject } from "vitest/config";

// The OpenClaw suite: one real gateway (Node 24, openclaw from test-openclaw/.runtime) shared by
// every file, so files run one after another: each holds the run's "plugin-openclaw" lock
// (test-openclaw/ready.ts). They run after the other projects, beside the browser suites (the
// same `groupOrder`), while the gateway is started in the background of the global setup.
export default defineProject({
  test: {
    name: "plugin-openclaw",
    environment: "node",
    include: ["test-openclaw/**/*.test.ts"],
    globalSetup: ["test-openclaw/globalSetup.ts"],
    setupFiles: ["test-openclaw/ready.ts"],
    sequence: { groupOrder: 1 },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
