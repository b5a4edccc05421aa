import { defineConfig } from "tsup";

export default defineConfig({
  entry: { main: "src/main.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  // Workspace libs ship TypeScript sources; bundle them, keep registry dependencies external.
  noExternal: [/^@botschat\//],
  banner: { js: "#!/usr/bin/env node" },
  sourcemap: true,
  clean: true,
});
