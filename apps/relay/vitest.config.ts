import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "relay",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["@botschat/relay-testkit/globalSetup"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
