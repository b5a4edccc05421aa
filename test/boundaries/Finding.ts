/** One boundary violation: which rule, where, and what was found. */
export interface Finding {
  /** A short rule name, e.g. `relay-imports-crypto`. */
  rule: BoundaryRule;
  /** A package name, or a file path relative to the repository root with `:line`. */
  where: string;
  /** What was found, e.g. the import specifier or the dependency path. */
  detail: string;
}

/** The boundaries of docs/design.md ("Packages"). */
export const BoundaryRule = {
  /** @botschat/relay depends on @botschat/crypto or @botschat/model (package graph). */
  relayDependsOnCrypto: "relay-depends-on-crypto-or-model",
  /** A relay source file imports @botschat/crypto or @botschat/model. */
  relayImportsCrypto: "relay-imports-crypto-or-model",
  /** A lib depends, directly or transitively, on a Node-only package. */
  libDependsOnNode: "lib-depends-on-node-only-package",
  /** A lib source file imports a Node builtin or a Node-only package. */
  libImportsNode: "lib-imports-node",
  /** A lib source file uses a Node-only global (`process`, `Buffer`, …). */
  libUsesNodeGlobal: "lib-uses-node-global",
  /** A lib source file uses a DOM global (`window`, `document`, …). */
  libUsesDomGlobal: "lib-uses-dom-global",
  /** A file imports another package's file by relative path instead of the package by name. */
  importLeavesPackage: "import-leaves-package",
} as const;
export type BoundaryRule = (typeof BoundaryRule)[keyof typeof BoundaryRule];

/** One line per finding, for assertion messages. */
export const formatFindings = (findings: readonly Finding[]): string => findings.map((f) => `${f.rule}  ${f.where}  ${f.detail}`).join("\n");
