import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { readManifest, type Manifest } from "./readWorkspace.js";

/** A registry package as installed in node_modules. */
export interface InstalledPackage {
  name: string;
  /** Real (symlink-resolved) directory. */
  dir: string;
  manifest: Manifest;
  /** Has a native addon (so it cannot run outside Node). */
  native: boolean;
}

/**
 * Resolve `name` the way Node does from `fromDir`: the nearest `node_modules/<name>` in `fromDir`
 * or one of its parents (pnpm puts a package's dependencies beside it, so this follows the real
 * installed graph). Undefined when it is not installed.
 */
export function installedPackage(name: string, fromDir: string): InstalledPackage | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) {
      const real = dirname(realpathSync(candidate));
      const manifest = readManifest(join(real, "package.json"));
      const native = manifest.gypfile === true || existsSync(join(real, "binding.gyp"));
      return { name, dir: real, manifest, native };
    }
    if (dirname(dir) === dir) return undefined;
  }
}
