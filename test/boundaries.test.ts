import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkBoundaries, libPolicy, RELAY } from "./boundaries/checkBoundaries.js";
import { dependencyPaths } from "./boundaries/dependencyPaths.js";
import { BoundaryRule, formatFindings, type Finding } from "./boundaries/Finding.js";
import { scanSource } from "./boundaries/scanSource.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const report = checkBoundaries(root);
const findingsOf = (rule: BoundaryRule): Finding[] => report.findings.filter((f) => f.rule === rule);

describe("the repository's package boundaries", () => {
  it("the checks see the workspace: the relay, the libs, and their source files", () => {
    expect(report.packages).toContain(RELAY);
    expect(report.packages).toContain("@botschat/protocol");
    expect(report.relayFiles).toBeGreaterThan(0);
    expect(report.libFiles).toBeGreaterThan(0);
    expect(report.unresolved, "dependencies that are not installed cannot be checked").toEqual([]);
  });

  it("the relay depends on neither @botschat/crypto nor @botschat/model, directly or transitively", () => {
    expect(formatFindings(findingsOf(BoundaryRule.relayDependsOnCrypto))).toBe("");
  });

  it("no lib depends on a Node-only package anywhere in what it ships", () => {
    expect(formatFindings(findingsOf(BoundaryRule.libDependsOnNode))).toBe("");
  });

  it("lib sources use no Node builtin, Node-only package, Node global or DOM global outside .node.ts / .dom.ts files", () => {
    const found = [BoundaryRule.libImportsNode, BoundaryRule.libUsesNodeGlobal, BoundaryRule.libUsesDomGlobal].flatMap(findingsOf);
    expect(formatFindings(found)).toBe("");
  });

  it("no relay source, test or benchmark imports @botschat/crypto or @botschat/model", () => {
    expect(formatFindings(findingsOf(BoundaryRule.relayImportsCrypto))).toBe("");
  });

  it("no relative import in any file leaves its package: other packages, test kits included, are imported by name", () => {
    expect(report.allFiles).toBeGreaterThan(report.relayFiles + report.libFiles);
    expect(formatFindings(findingsOf(BoundaryRule.importLeavesPackage))).toBe("");
  });
});

describe("the boundary checks catch violations (self-check on a synthetic workspace)", () => {
  const fixture = mkdtempSync(join(tmpdir(), "botschat-boundaries-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path: string, content: unknown): void => {
    const file = join(fixture, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  };

  write("apps/relay/package.json", { name: RELAY, dependencies: { "@botschat/protocol": "workspace:*", "@botschat/helper": "workspace:*" } });
  // A test-only dependency still puts model code into the relay, but ships nothing with a lib.
  write("libs/helper/package.json", { name: "@botschat/helper", devDependencies: { "@botschat/model": "workspace:*" } });
  write("libs/model/package.json", { name: "@botschat/model", dependencies: { ws: "^8" } });
  write("libs/protocol/package.json", { name: "@botschat/protocol", dependencies: { innocent: "1", "fake-addon": "1" } });
  write("node_modules/innocent/package.json", {
    name: "innocent",
    dependencies: { "better-sqlite3": "12" },
    optionalDependencies: { "@hono/node-server": "1" },
  });
  write("node_modules/better-sqlite3/package.json", { name: "better-sqlite3" });
  write("libs/protocol/node_modules/fake-addon/package.json", { name: "fake-addon" });
  write("libs/protocol/node_modules/fake-addon/binding.gyp", "{}");
  write("libs/protocol/src/a.ts", 'import { readFileSync } from "node:fs";\nexport const kind = typeof window;\nexport const r = readFileSync;\n');
  write("libs/protocol/src/b.node.ts", 'import fs from "node:fs";\nexport const t = [fs, process.env, document.title];\n');
  write("libs/protocol/src/c.dom.ts", 'export const s = localStorage.getItem("x");\nexport const b = Buffer.from("");\n');
  write(
    "libs/protocol/src/d.ts",
    [
      "// import fs from 'node:fs'; window.alert(process)",
      "const document = { title: 'local' };",
      "export function f(window: number, obj: { indexedDB: number }) {",
      "  return [document.title, window, obj.indexedDB, 'process', { navigator: 1 }.navigator];",
      "}",
    ].join("\n"),
  );
  write(
    "apps/relay/src/e.ts",
    [
      'import { x } from "@botschat/crypto";',
      'import y from "../../../libs/model/src/index.js";',
      'export const z = await import("@botschat/model/sub");',
      "export { x, y };",
    ].join("\n"),
  );

  write("apps/web/package.json", { name: "@botschat/web" });
  write("apps/web/e2e/x.ts", 'import { a } from "./y.js";\nimport { b } from "../../relay/test/harness/api.js";\nexport { a, b };\n');
  write("apps/web/e2e/y.ts", "export const a = 1;\n");

  const synthetic = checkBoundaries(fixture);
  const summary = synthetic.findings.map((f) => `${f.rule} ${f.where} ${f.detail}`).sort();

  it("reports every violation in it, and nothing in its clean file", () => {
    expect(summary).toEqual(
      [
        `${BoundaryRule.relayDependsOnCrypto} ${RELAY} ${RELAY} → @botschat/helper → @botschat/model`,
        `${BoundaryRule.libDependsOnNode} @botschat/model @botschat/model → ws (not installed)`,
        `${BoundaryRule.libDependsOnNode} @botschat/protocol @botschat/protocol → innocent → better-sqlite3`,
        `${BoundaryRule.libDependsOnNode} @botschat/protocol @botschat/protocol → fake-addon`,
        `${BoundaryRule.libImportsNode} libs/protocol/src/a.ts:1 node:fs`,
        `${BoundaryRule.libUsesDomGlobal} libs/protocol/src/a.ts:2 window`,
        `${BoundaryRule.libUsesDomGlobal} libs/protocol/src/b.node.ts:2 document`,
        `${BoundaryRule.libUsesNodeGlobal} libs/protocol/src/c.dom.ts:2 Buffer`,
        `${BoundaryRule.relayImportsCrypto} apps/relay/src/e.ts:1 @botschat/crypto`,
        `${BoundaryRule.relayImportsCrypto} apps/relay/src/e.ts:2 ../../../libs/model/src/index.js`,
        `${BoundaryRule.relayImportsCrypto} apps/relay/src/e.ts:3 @botschat/model/sub`,
        `${BoundaryRule.importLeavesPackage} apps/relay/src/e.ts:2 ../../../libs/model/src/index.js`,
        `${BoundaryRule.importLeavesPackage} apps/web/e2e/x.ts:2 ../../relay/test/harness/api.js`,
      ].sort(),
    );
    expect(synthetic.unresolved).toEqual(["ws (from libs/model)"]);
  });
});

describe("scanSource", () => {
  const neutral = libPolicy("x.ts");
  const names = (text: string, policy = neutral): string[] => scanSource("x.ts", text, policy).map((u) => `${u.kind}:${u.name}`);

  it("finds Node builtins in every import form, bare or with the node: prefix", () => {
    const text = [
      'import "fs";',
      'import type { Stats } from "node:fs";',
      'export * from "path";',
      'export { randomBytes } from "crypto";',
      'const a = await import("fs/promises");',
      'const b = require("os");',
      'type T = import("node:stream").Readable;',
      'import { WebSocket } from "ws";',
      'import db from "better-sqlite3/lib/database";',
    ].join("\n");
    expect(names(text)).toEqual([
      "node-import:fs",
      "node-import:node:fs",
      "node-import:path",
      "node-import:crypto",
      "node-import:fs/promises",
      "node-import:os",
      "node-import:node:stream",
      "package-import:ws",
      "package-import:better-sqlite3/lib/database",
    ]);
  });

  it("finds DOM and Node globals, bare or through globalThis, and ignores property names, locals, comments and strings", () => {
    const text = [
      "const a = globalThis.indexedDB;",
      'const b = globalThis["process"];',
      "const c = { localStorage: 1 }.localStorage;",
      "function d(navigator: string) { return navigator; }",
      "/* document.cookie */ const e = 'window';",
      "const f = sessionStorage;",
      "const g = { Buffer };",
    ].join("\n");
    expect(names(text)).toEqual(["dom-global:globalThis.indexedDB", 'node-global:globalThis["process"]', "dom-global:sessionStorage", "node-global:Buffer"]);
  });

  it("a .node.ts file may use Node but not the DOM, a .dom.ts file the DOM but not Node", () => {
    const text = 'import fs from "node:fs";\nexport const x = [fs, document];';
    expect(names(text, libPolicy("store.node.ts"))).toEqual(["dom-global:document"]);
    expect(names(text, libPolicy("store.dom.ts"))).toEqual(["node-import:node:fs"]);
    expect(names(text, libPolicy("store.node.test.ts"))).toEqual(["dom-global:document"]);
    expect(names(text, libPolicy("libs/model/src/node.ts"))).toEqual(["dom-global:document"]);
    expect(names(text, libPolicy("libs/model/src/dom.ts"))).toEqual(["node-import:node:fs"]);
    expect(names(text, libPolicy("libs/model/src/anode.ts"))).toEqual(["node-import:node:fs", "dom-global:document"]);
  });
});

describe("dependencyPaths", () => {
  const graph: Record<string, string[]> = { a: ["b", "c"], b: ["d"], c: ["b", "a"], d: ["e"] };
  const deps = (n: string): string[] => graph[n] ?? [];

  it("returns the shortest path to each reachable target, through cycles", () => {
    expect(dependencyPaths("a", deps, (n) => n === "e" || n === "c")).toEqual([
      ["a", "c"],
      ["a", "b", "d", "e"],
    ]);
  });

  it("returns nothing when no target is reachable", () => {
    expect(dependencyPaths("d", deps, (n) => n === "a")).toEqual([]);
  });
});
