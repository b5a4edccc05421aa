import { configDefaults, defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "relay",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Run alone, after everything else: vitest.alone.config.ts.
    exclude: [...configDefaults.exclude, "test/backlog.test.ts"],
    globalSetup: ["@botschat/relay-testkit/globalSetup"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
