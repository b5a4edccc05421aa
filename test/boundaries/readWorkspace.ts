import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The fields of a package.json that the boundary checks read. */
export interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  gypfile?: boolean;
}

/** A package of the workspace: `apps/*`, `libs/*` or `testkits/*`. */
export interface WorkspacePackage {
  name: string;
  /** Absolute directory. */
  dir: string;
  /** `apps`, `libs` or `testkits`. */
  group: "apps" | "libs" | "testkits";
  manifest: Manifest;
}

/** Read a package.json. */
export const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, "utf8")) as Manifest;

/**
 * Every package directly under `apps/`, `libs/` and `testkits/` of `root` that has a package.json, by name
 * (a package without a name is keyed by its folder).
 */
export function readWorkspace(root: string): Map<string, WorkspacePackage> {
  const packages = new Map<string, WorkspacePackage>();
  for (const group of ["apps", "libs", "testkits"] as const) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(groupDir, entry.name);
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const manifest = readManifest(file);
      const name = manifest.name ?? `${group}/${entry.name}`;
      packages.set(name, { name, dir, group, manifest });
    }
  }
  return packages;
}

/** Dependency names of a manifest, from the given fields. */
export function dependencyNames(
  manifest: Manifest,
  fields: ReadonlyArray<"dependencies" | "devDependencies" | "peerDependencies" | "optionalDependencies">,
): string[] {
  return [...new Set(fields.flatMap((field) => Object.keys(manifest[field] ?? {})))];
}
