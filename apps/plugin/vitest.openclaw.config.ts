import { defineProject } from "vitest/config";

// The OpenClaw suite: one real gateway (Node 24, openclaw from test-openclaw/.runtime) shared by
// every file, so files run one after another.
export default defineProject({
  test: {
    name: "plugin-openclaw",
    environment: "node",
    include: ["test-openclaw/**/*.test.ts"],
    globalSetup: ["test-openclaw/globalSetup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
