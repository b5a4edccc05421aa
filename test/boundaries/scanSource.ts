import { isBuiltin } from "node:module";
import ts from "typescript";

/** Globals that only exist in browsers. */
export const DOM_GLOBALS: ReadonlySet<string> = new Set(["window", "document", "localStorage", "sessionStorage", "indexedDB", "navigator"]);

/** Globals that only exist in Node. */
export const NODE_GLOBALS: ReadonlySet<string> = new Set(["process", "Buffer", "__dirname", "__filename", "global"]);

/** What a file may not use. */
export interface SourcePolicy {
  /** Node builtins (`node:fs`, `fs`, `fs/promises`, …) and Node-only globals. */
  forbidNode: boolean;
  /** DOM globals. */
  forbidDom: boolean;
  /** Packages that may not be imported (the name itself or any subpath of it). */
  forbiddenPackages: readonly string[];
}

/** What the scanner found in one file. */
export interface SourceUse {
  kind: "node-import" | "package-import" | "node-global" | "dom-global";
  /** The module specifier or the global's name. */
  name: string;
  /** 1-based line. */
  line: number;
}

const scriptKind = (fileName: string): ts.ScriptKind =>
  fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;

/** Every module specifier of a file: static and dynamic imports, re-exports, `require`, import types. */
export function moduleSpecifiers(source: ts.SourceFile): Array<{ specifier: string; node: ts.Node }> {
  const found: Array<{ specifier: string; node: ts.Node }> = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) found.push({ specifier: e.text, node });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      const arg = node.arguments[0];
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) found.push({ specifier: arg.text, node });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module specifier of a source file with its 1-based line. */
export function importSpecifiers(fileName: string, text: string): Array<{ specifier: string; line: number }> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  return moduleSpecifiers(source).map(({ specifier, node }) => ({
    specifier,
    line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
  }));
}

/** Is this identifier the name of a declaration, a property or a label rather than a reference? */
function isNotAReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p)) return p.name === id;
  if (ts.isQualifiedName(p)) return p.right === id;
  if (ts.isShorthandPropertyAssignment(p)) return false;
  if (ts.isBindingElement(p)) return p.propertyName === id || p.name === id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  if (ts.isJsxAttribute(p)) return true;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return p.propertyName === id || p.name === id;
  const named = p as ts.Node & { name?: ts.Node };
  return named.name === id;
}

/**
 * Names declared anywhere in the file (variables, parameters, functions, classes, imports…).
 * The scanner treats a global name declared anywhere in the file as a local name: a lexical
 * approximation that never reports a local `document` variable, at the price of missing a real
 * global used in the same file as a same-named local (the lint rule, which has scopes, catches that).
 */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isNotAReference(node)) {
      const p = node.parent;
      const declares =
        ts.isVariableDeclaration(p) ||
        ts.isParameter(p) ||
        ts.isFunctionDeclaration(p) ||
        ts.isFunctionExpression(p) ||
        ts.isClassDeclaration(p) ||
        ts.isClassExpression(p) ||
        (ts.isBindingElement(p) && p.name === node) ||
        ts.isImportClause(p) ||
        ts.isNamespaceImport(p) ||
        (ts.isImportSpecifier(p) && p.name === node) ||
        ts.isImportEqualsDeclaration(p) ||
        ts.isEnumDeclaration(p);
      if (declares) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/**
 * Find what a policy forbids in one source file, by its syntax tree (comments and strings never
 * match): imports of Node builtins or forbidden packages, and references to DOM or Node globals,
 * bare or through `globalThis` / `self`.
 *
 * @example
 * scanSource("x.ts", 'import fs from "node:fs";', { forbidNode: true, forbidDom: true, forbiddenPackages: [] })
 * // → [{ kind: "node-import", name: "node:fs", line: 1 }]
 */
export function scanSource(fileName: string, text: string, policy: SourcePolicy): SourceUse[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const line = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const uses: SourceUse[] = [];

  for (const { specifier, node } of moduleSpecifiers(source)) {
    if (policy.forbidNode && (specifier.startsWith("node:") || isBuiltin(specifier))) {
      uses.push({ kind: "node-import", name: specifier, line: line(node) });
    } else if (policy.forbiddenPackages.some((p) => specifier === p || specifier.startsWith(`${p}/`))) {
      uses.push({ kind: "package-import", name: specifier, line: line(node) });
    }
  }

  const globalKind = (name: string): SourceUse["kind"] | undefined =>
    policy.forbidDom && DOM_GLOBALS.has(name) ? "dom-global" : policy.forbidNode && NODE_GLOBALS.has(name) ? "node-global" : undefined;
  const declared = declaredNames(source);
  const globalObjects = new Set(["globalThis", "self", "window", "global"]);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !declared.has(node.text) && !isNotAReference(node)) {
      const kind = globalKind(node.text);
      if (kind) uses.push({ kind, name: node.text, line: line(node) });
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && globalObjects.has(node.expression.text)) {
      const kind = declared.has(node.expression.text) ? undefined : globalKind(node.name.text);
      if (kind) uses.push({ kind, name: `${node.expression.text}.${node.name.text}`, line: line(node) });
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      globalObjects.has(node.expression.text) &&
      ts.isStringLiteralLike(node.argumentExpression)
    ) {
      const kind = declared.has(node.expression.text) ? undefined : globalKind(node.argumentExpression.text);
      if (kind) uses.push({ kind, name: `${node.expression.text}["${node.argumentExpression.text}"]`, line: line(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}
