import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The OpenClaw version the suite runs against. */
export const OPENCLAW_VERSION = "2026.9.6";

/**
 * Where Node 24 and OpenClaw are installed: `BOTSCHAT_OPENCLAW_RUNTIME` (set by `.ci/run`), else
 * `apps/plugin/test-openclaw/.runtime` (what `.ci/run` fills; git ignores it).
 */
export const RUNTIME_DIR = process.env["BOTSCHAT_OPENCLAW_RUNTIME"] ?? fileURLToPath(new URL("./.runtime", import.meta.url));

/** The Node 24 binary and OpenClaw's CLI entry script. */
export interface OpenClawRuntime {
  node: string;
  openclaw: string;
  /** Directory of `node`, for PATH. */
  nodeBinDir: string;
}

/** The installed runtime, or an error that says how to install it. */
export function findRuntime(): OpenClawRuntime {
  const nodeBinDir = join(RUNTIME_DIR, "node24", "node_modules", "node", "bin");
  const node = join(nodeBinDir, "node");
  const openclaw = join(RUNTIME_DIR, "openclaw", "node_modules", "openclaw", "openclaw.mjs");
  if (!existsSync(node) || !existsSync(openclaw)) {
    throw new Error(
      `The OpenClaw suite needs Node 24 and openclaw@${OPENCLAW_VERSION} in ${RUNTIME_DIR}. Install them with\n` +
        `  apps/plugin/test-openclaw/install-runtime.sh\n` +
        `or by hand:\n` +
        `  mkdir -p ${RUNTIME_DIR}/node24 ${RUNTIME_DIR}/openclaw\n` +
        `  (cd ${RUNTIME_DIR}/node24 && npm i node@24)\n` +
        `  (cd ${RUNTIME_DIR}/openclaw && PATH=${nodeBinDir}:$PATH npm i openclaw@${OPENCLAW_VERSION})`,
    );
  }
  return { node, openclaw, nodeBinDir };
}
