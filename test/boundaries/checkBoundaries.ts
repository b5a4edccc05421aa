import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { dependencyPaths } from "./dependencyPaths.js";
import { BoundaryRule, type Finding } from "./Finding.js";
import { installedPackage, type InstalledPackage } from "./installedPackage.js";
import { dependencyNames, readWorkspace } from "./readWorkspace.js";
import { importSpecifiers, scanSource, type SourcePolicy, type SourceUse } from "./scanSource.js";

/** The package that must never see plaintext, and the packages that hold it. */
export const RELAY = "@botschat/relay";
export const PLAINTEXT_PACKAGES: readonly string[] = ["@botschat/crypto", "@botschat/model"];

/**
 * Registry packages that only run on Node. Packages with a native addon (`binding.gyp`,
 * `"gypfile": true`) count as Node-only too, wherever they appear in a lib's dependency tree.
 */
export const NODE_ONLY_PACKAGES: readonly string[] = ["ws", "better-sqlite3", "@hono/node-server", "@types/node"];

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "coverage", ".turbo", ".runtime", ".test-bundle", "bench-results", "dev-dist"]);

/** Every source file under `dir`, recursively (skipping node_modules and build output). */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...sourceFiles(path));
    } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      files.push(path);
    }
  }
  return files.sort();
}

/**
 * The policy of a lib source file: runtime-neutral, unless tagged `.node.ts` (Node allowed,
 * DOM not) or `.dom.ts` (DOM allowed, Node not), tests of a tagged file included, and a lib's
 * `node.ts` / `dom.ts` entry points (`@botschat/model/node`, `@botschat/model/dom`).
 */
export function libPolicy(file: string): SourcePolicy {
  const tag = /(?:^|[./\\])(node|dom)(\.test)?\.[cm]?[jt]sx?$/.exec(file)?.[1];
  return { forbidNode: tag !== "node", forbidDom: tag !== "dom", forbiddenPackages: tag === "node" ? [] : NODE_ONLY_PACKAGES };
}

/** What one run of the checks looked at, so a test can tell a clean tree from an empty one. */
export interface BoundaryReport {
  findings: Finding[];
  packages: string[];
  relayFiles: number;
  libFiles: number;
  /** Every source file whose relative imports were checked. */
  allFiles: number;
  /** Required dependencies of the libs' trees that are not installed (so could not be checked). */
  unresolved: string[];
}

/**
 * Check the package boundaries of the workspace at `root` (docs/design.md, "Packages"):
 * - the relay depends on neither crypto nor model, directly or through any workspace package
 *   (every dependency field counts: a test-only dependency would still put plaintext code in it);
 * - no lib depends, in its shipped dependency tree, on a Node-only package;
 * - no file under `libs/<lib>/src` imports a Node builtin or uses a DOM or Node global, outside
 *   files tagged `.node.ts` / `.dom.ts`;
 * - no file of apps/relay (src, test, bench) imports crypto or model, by name or by path;
 * - no relative import anywhere leaves the package of the file it is in.
 */
export function checkBoundaries(root: string): BoundaryReport {
  const workspace = readWorkspace(root);
  const findings: Finding[] = [];
  const rel = (file: string): string => relative(root, file).split(sep).join("/");

  // 1. The relay's package graph, through workspace packages.
  const allFields = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;
  const workspaceDeps = (name: string): string[] => {
    const pkg = workspace.get(name);
    return pkg ? dependencyNames(pkg.manifest, allFields) : [];
  };
  if (workspace.has(RELAY)) {
    for (const path of dependencyPaths(RELAY, workspaceDeps, (n) => PLAINTEXT_PACKAGES.includes(n))) {
      findings.push({ rule: BoundaryRule.relayDependsOnCrypto, where: RELAY, detail: path.join(" → ") });
    }
  }

  // 2. Each lib's shipped dependency tree: workspace packages, then the installed registry packages.
  const shipped = ["dependencies", "peerDependencies", "optionalDependencies"] as const;
  const libs = [...workspace.values()].filter((p) => p.group === "libs");
  const unresolved: string[] = [];
  for (const lib of libs) {
    // Nodes are workspace names, `registry:<real dir>` for installed packages, `missing:<name>`.
    const registry = new Map<string, InstalledPackage>();
    const resolveAll = (fromDir: string, names: string[], optional: ReadonlySet<string> = new Set()): string[] =>
      names.map((dep) => {
        if (workspace.has(dep)) return dep;
        const installed = installedPackage(dep, fromDir);
        if (!installed) {
          if (!optional.has(dep)) unresolved.push(`${dep} (from ${rel(fromDir)})`);
          return `missing:${dep}`;
        }
        const key = `registry:${installed.dir}`;
        registry.set(key, installed);
        return key;
      });
    const dependenciesOf = (node: string): string[] => {
      const pkg = workspace.get(node);
      if (pkg) {
        const optional = new Set(Object.keys(pkg.manifest.optionalDependencies ?? {}));
        return resolveAll(pkg.dir, dependencyNames(pkg.manifest, shipped), optional);
      }
      const installed = registry.get(node);
      // A registry package's optional and peer dependencies are its user's choice, not its own.
      return installed ? resolveAll(installed.dir, dependencyNames(installed.manifest, ["dependencies"])) : [];
    };
    const nameOf = (node: string): string => registry.get(node)?.name ?? (node.startsWith("missing:") ? node.slice("missing:".length) : node);
    const isNodeOnly = (node: string): boolean => NODE_ONLY_PACKAGES.includes(nameOf(node)) || registry.get(node)?.native === true;
    const display = (node: string): string => (node.startsWith("missing:") ? `${nameOf(node)} (not installed)` : nameOf(node));
    for (const path of dependencyPaths(lib.name, dependenciesOf, isNodeOnly)) {
      findings.push({ rule: BoundaryRule.libDependsOnNode, where: lib.name, detail: path.map(display).join(" → ") });
    }
  }

  // 3. Lib sources.
  const ruleOf: Record<SourceUse["kind"], BoundaryRule> = {
    "node-import": BoundaryRule.libImportsNode,
    "package-import": BoundaryRule.libImportsNode,
    "node-global": BoundaryRule.libUsesNodeGlobal,
    "dom-global": BoundaryRule.libUsesDomGlobal,
  };
  let libFiles = 0;
  for (const lib of libs) {
    for (const file of sourceFiles(join(lib.dir, "src"))) {
      libFiles += 1;
      for (const use of scanSource(file, readFileSync(file, "utf8"), libPolicy(file))) {
        findings.push({ rule: ruleOf[use.kind], where: `${rel(file)}:${use.line}`, detail: use.name });
      }
    }
  }

  // 4. Relay sources: no plaintext package by name, nor any file of theirs by relative path.
  let relayFiles = 0;
  const relay = workspace.get(RELAY);
  if (relay) {
    const plaintextDirs = PLAINTEXT_PACKAGES.map((n) => workspace.get(n)?.dir).filter((d): d is string => d !== undefined);
    const relayPolicy: SourcePolicy = { forbidNode: false, forbidDom: false, forbiddenPackages: PLAINTEXT_PACKAGES };
    for (const file of ["src", "test", "bench"].flatMap((d) => sourceFiles(join(relay.dir, d)))) {
      relayFiles += 1;
      const text = readFileSync(file, "utf8");
      for (const use of scanSource(file, text, relayPolicy)) {
        findings.push({ rule: BoundaryRule.relayImportsCrypto, where: `${rel(file)}:${use.line}`, detail: use.name });
      }
      for (const use of relativeImportsInto(file, text, plaintextDirs)) {
        findings.push({ rule: BoundaryRule.relayImportsCrypto, where: `${rel(file)}:${use.line}`, detail: use.name });
      }
    }
  }

  // 5. Every file of the repository: a relative import stays inside its own package (the
  // repository's root counts as one, for its own `test/` and `scripts/`); other packages are
  // imported by name, through what they export.
  const top = resolve(root);
  const packageDirs = [...workspace.values()].map((p) => resolve(p.dir));
  const packageOf = (file: string): string => packageDirs.find((dir) => file.startsWith(dir + sep)) ?? top;
  let allFiles = 0;
  for (const dir of [...packageDirs, join(top, "test"), join(top, "scripts")]) {
    for (const file of sourceFiles(dir)) {
      allFiles += 1;
      const own = packageOf(file);
      for (const { specifier, line } of importSpecifiers(file, readFileSync(file, "utf8"))) {
        if (!specifier.startsWith(".")) continue;
        const target = resolve(file, "..", specifier);
        if (packageOf(target) !== own || (own === top && !target.startsWith(top + sep))) {
          findings.push({ rule: BoundaryRule.importLeavesPackage, where: `${rel(file)}:${line}`, detail: specifier });
        }
      }
    }
  }

  return { findings, packages: [...workspace.keys()].sort(), relayFiles, libFiles, allFiles, unresolved: [...new Set(unresolved)] };
}

/** Relative imports of `file` that resolve into one of `dirs`. */
function relativeImportsInto(file: string, text: string, dirs: readonly string[]): Array<{ name: string; line: number }> {
  return importSpecifiers(file, text)
    .filter(({ specifier }) => {
      if (!specifier.startsWith(".")) return false;
      const target = resolve(file, "..", specifier);
      return dirs.some((dir) => target === dir || target.startsWith(dir + sep));
    })
    .map(({ specifier, line }) => ({ name: specifier, line }));
}
