import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "libs/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "apps/plugin/vitest.openclaw.config.ts",
      "apps/web/vitest.e2e.config.ts",
      "test/vitest.config.ts",
    ],
  },
});
