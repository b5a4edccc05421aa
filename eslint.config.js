// ESLint flat config for the whole workspace (`pnpm lint` = `eslint .`).
//
// typescript-eslint's syntax-only recommended rules everywhere; type-aware rules only where they
// catch what the compiler does not (floating and misused promises: a socket handler must survive any
// frame) and only on package sources, which keeps `pnpm lint` fast.
// The package boundaries (docs/design.md, "Packages") are enforced here per file and, from the
// package graph, by test/boundaries.test.ts.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Node builtins by bare name (`fs`, `fs/promises`, `crypto`, …); `node:*` is matched by pattern. */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith("_"));

/** Packages that only run on Node: never in a runtime-neutral lib. */
const nodeOnlyPackages = ["ws", "better-sqlite3", "@hono/node-server"];

/** Globals that exist only in browsers, or only in Node. */
const domGlobals = ["window", "document", "localStorage", "sessionStorage", "indexedDB", "navigator"];
const nodeGlobals = ["process", "Buffer", "__dirname", "__filename", "require", "global"];

/** What a Node script may use without declaring it (for `no-undef` in plain JS files). */
const nodeScriptGlobals = Object.fromEntries(
  [
    ...nodeGlobals,
    "console",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "queueMicrotask",
    "structuredClone",
    "TextEncoder",
    "TextDecoder",
    "URL",
    "URLSearchParams",
    "AbortController",
    "fetch",
    "performance",
    "globalThis",
  ].map((name) => [name, "readonly"]),
);

const relayImports = {
  patterns: [
    {
      group: ["@botschat/crypto", "@botschat/crypto/*", "@botschat/model", "@botschat/model/*"],
      message: "The relay never imports crypto or model: it cannot decrypt (docs/design.md, Packages).",
    },
    {
      group: ["**/libs/crypto", "**/libs/crypto/**", "**/libs/model", "**/libs/model/**"],
      message: "The relay never imports crypto or model, not even by relative path.",
    },
  ],
};

const neutralMessage = "libs/* are runtime-neutral: Node code goes in a `.node.ts` file or in an app.";
const libImports = {
  paths: [...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: neutralMessage })),
  patterns: [{ group: ["node:*"], message: neutralMessage }],
};
const noDomGlobals = domGlobals.map((name) => ({
  name,
  message: "libs/* are runtime-neutral: DOM code goes in a `.dom.ts` file or in apps/web.",
}));
const noNodeGlobals = nodeGlobals.map((name) => ({ name, message: neutralMessage }));

// Tagged files, and a lib's `node.ts` / `dom.ts` entry points (`@botschat/model/node`, `/dom`).
const nodeTagged = ["libs/*/src/**/*.node.ts", "libs/*/src/**/*.node.test.ts", "libs/*/src/node.ts"];
const domTagged = ["libs/*/src/**/*.dom.ts", "libs/*/src/**/*.dom.test.ts", "libs/*/src/dom.ts"];

export default defineConfig(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/coverage/**",
      "**/.turbo/**",
      "**/test-vectors/**",
      "**/test-results/**",
      "**/bench-results/**",
      "**/.test-bundle/**",
      "**/.mutant/**",
      "**/playwright-report/**",
      "**/dev-dist/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_`-prefixed names mark deliberately unused parameters and destructured leftovers.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    },
  },
  // Type-aware: a promise nobody awaits or catches is a crash or a lost error waiting to happen.
  {
    files: ["apps/relay/src/**/*.ts", "apps/plugin/src/**/*.ts", "libs/*/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  // A lib's `.node.ts` / `.dom.ts` files (and its `node.ts` / `dom.ts` entry points) sit outside
  // its runtime-neutral tsconfig.json, in tsconfig.node.json / tsconfig.dom.json beside it.
  {
    files: ["libs/*/src/**/*.node.ts", "libs/*/src/node.ts", "libs/*/src/**/*.dom.ts", "libs/*/src/dom.ts"],
    ignores: ["**/*.test.ts"],
    languageOptions: {
      parserOptions: { projectService: false, project: ["libs/*/tsconfig.node.json", "libs/*/tsconfig.dom.json"], tsconfigRootDir: import.meta.dirname },
    },
  },
  // Plain JS files are scripts and tool configs run by Node; TypeScript checks names in .ts files.
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: nodeScriptGlobals },
  },
  // The relay never imports @botschat/crypto or @botschat/model.
  {
    files: ["apps/relay/**"],
    rules: { "no-restricted-imports": ["error", relayImports] },
  },
  // What a lib ships (libs/*/src, unit tests beside their modules included) is runtime-neutral:
  // no Node builtins, Node-only packages, DOM or Node globals, except in files tagged `.node.ts`
  // (Node) or `.dom.ts` (browser). A lib's test/ integration suites, benchmarks and tool configs
  // run on Node and ship nothing, like test/boundaries.test.ts checks.
  {
    files: ["libs/*/src/**"],
    rules: {
      "no-restricted-imports": ["error", libImports],
      "no-restricted-globals": ["error", ...noDomGlobals, ...noNodeGlobals],
    },
  },
  // apps/web: the main thread takes only types from the model and crypto, so Automerge and
  // libsodium (and their wasm) load in the workspace worker alone (docs/decisions/006-web-worker.md).
  {
    files: ["apps/web/src/**"],
    ignores: ["apps/web/src/worker/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["@botschat/model", "@botschat/model/dom", "@botschat/crypto", "@automerge/automerge", "@automerge/automerge-repo"].map((name) => ({
            name,
            allowTypeImports: true,
            message: "The web app's main thread imports only types from the model: runtime code runs in src/worker.",
          })),
        },
      ],
    },
  },
  {
    files: nodeTagged,
    rules: { "no-restricted-imports": "off", "no-restricted-globals": ["error", ...noDomGlobals] },
  },
  {
    files: domTagged,
    rules: { "no-restricted-globals": ["error", ...noNodeGlobals] },
  },
);
