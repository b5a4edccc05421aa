import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's root: the nearest folder above this kit holding `pnpm-workspace.yaml`. The
 * kits start the programs the workspace builds (the relay, the agent), which are found from here
 * rather than depended on, so that a program's own tests can use its kit.
 */
export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("no pnpm-workspace.yaml above the test kit");
    dir = up;
  }
  return dir;
}

/** The relay's package folder (`apps/relay`): its bundle is `dist/main.js` there. */
export const relayDir = (): string => join(workspaceRoot(), "apps", "relay");

/** The agent's package folder (`apps/plugin`): `botschat-agent` is `dist/main.js` there. */
export const agentDir = (): string => join(workspaceRoot(), "apps", "plugin");
