import solid from "vite-plugin-solid";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [solid()],
  resolve: { conditions: ["development", "browser"] },
  test: {
    name: "web",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    exclude: ["e2e/**", "bench/**", "node_modules/**"],
    setupFiles: ["src/testSetup.ts"],
    testTimeout: 10_000,
  },
});
