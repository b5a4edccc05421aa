import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "plugin",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The integration suites run the real relay bundle and the agent bundle.
    globalSetup: ["@botschat/agent-testkit/globalSetup"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
