import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "model",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The integration suites run the real relay bundle.
    globalSetup: ["@botschat/relay-testkit/globalSetup"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
