import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { defineConfig } from "tsup";

// The OpenClaw plugin bundle: the peer core, the workspace libs and every registry dependency in
// one ESM file, plus Automerge's wasm beside it, so `openclaw plugins install` needs no network.
// Only `openclaw/*` stays external: the host resolves it for its plugins. `dist/openclaw/` is a
// package of its own (package.json, openclaw.plugin.json, index.js, the wasm), with no
// dependencies: install it as a path, or `npm pack` it and install the tarball.
const automergeWasm = "node_modules/@automerge/automerge/dist/mjs/wasm_bindgen_output/nodejs/automerge_wasm_bg.wasm";

// Both builds write into one folder: it is emptied once here, not by either build.
// BOTSCHAT_OPENCLAW_OUT moves it (the tests build a private copy, away from other builds of dist/).
const out = process.env["BOTSCHAT_OPENCLAW_OUT"] ?? "dist/openclaw";
rmSync(out, { recursive: true, force: true });

const plugin = defineConfig({
  entry: { index: "src/openclaw/index.ts" },
  outDir: out,
  format: ["esm"],
  platform: "node",
  target: "node22",
  noExternal: [/^(?!openclaw(\/|$))/],
  external: [/^openclaw(\/|$)/],
  // Bundled CommonJS (Automerge's Node wasm loader) reads `require` and `__dirname`.
  banner: {
    js: [
      'import { createRequire as __bcCreateRequire } from "node:module";',
      'import { fileURLToPath as __bcFileURLToPath } from "node:url";',
      "const require = __bcCreateRequire(import.meta.url);",
      "const __filename = __bcFileURLToPath(import.meta.url);",
      'const __dirname = __bcFileURLToPath(new URL(".", import.meta.url));',
    ].join("\n"),
  },
  sourcemap: false,
  clean: false,
  onSuccess: () => {
    copyFileSync(automergeWasm, `${out}/automerge_wasm_bg.wasm`);
    copyFileSync("openclaw.plugin.json", `${out}/openclaw.plugin.json`);
    const own = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; openclaw: { channel: unknown } };
    const pkg = {
      name: "@botschat/openclaw-plugin",
      version: own.version,
      description: "BotsChat channel plugin for OpenClaw",
      type: "module",
      main: "./index.js",
      files: ["index.js", "setup.js", "automerge_wasm_bg.wasm", "openclaw.plugin.json"],
      bin: { "botschat-setup": "./setup.js" },
      openclaw: { extensions: ["./index.js"], channel: own.openclaw.channel },
      peerDependencies: { openclaw: ">=2026.9.6" },
    };
    writeFileSync(`${out}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
    return Promise.resolve();
  },
});

/** `botschat-setup` (src/openclaw/setupMain.ts), shipped in the same package. */
const setup = defineConfig({
  entry: { setup: "src/openclaw/setupMain.ts" },
  outDir: out,
  format: ["esm"],
  platform: "node",
  target: "node22",
  noExternal: [/./],
  banner: { js: "#!/usr/bin/env node" },
  sourcemap: false,
  clean: false,
});

export default [plugin, setup];
