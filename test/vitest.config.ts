import { defineProject } from "vitest/config";

/** Repository-wide checks that belong to no single package (package boundaries). */
export default defineProject({
  test: { name: "repo", environment: "node", include: ["**/*.test.ts"] },
});
