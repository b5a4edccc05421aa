import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import type { GuideState, RootDoc } from "../docs/RootDoc.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { openRoot } from "./openDoc.js";
import { validName } from "./validName.js";

/** The ways the guide offers to connect an agent. */
export const GUIDE_AGENTS = ["demo", "openclaw"] as const;
export type GuideAgent = (typeof GUIDE_AGENTS)[number];

/** The first-run guide's progress as a screen shows it. */
export interface GuideView {
  token?: { id: string; secret?: string; name: string; createdAt: number };
  agent?: GuideAgent;
  finished?: number;
}

/** The guide's progress, as stored (undefined in a root the guide never wrote). */
export function guideOf(root: RootDoc): GuideView | undefined {
  const g = root.guide;
  if (g === undefined) return undefined;
  const t = g.token;
  const agent = str(g.agent);
  return {
    ...(t !== undefined
      ? { token: { id: str(t.id), name: str(t.name), createdAt: t.createdAt, ...(t.secret !== undefined ? { secret: str(t.secret) } : {}) } }
      : {}),
    ...(agent !== undefined && (GUIDE_AGENTS as readonly string[]).includes(agent) ? { agent: agent as GuideAgent } : {}),
    ...(g.finished !== undefined ? { finished: g.finished } : {}),
  };
}

/**
 * Moves the first-run guide on. `token` records the pairing token it made, unless it has one
 * already (the guide keeps one token, ever: it answers false then, and the caller revokes the
 * one it just made); `forgetSecret` drops that token's secret once a gateway connected with it;
 * `agent` is the lines the person follows; `finished` puts the guide away.
 *
 * @example
 * await updateGuide(store, me, { token: { id: "tok_1", secret: "bc_pat_…", name: "Home" } });
 */
export async function updateGuide(
  store: DocStore,
  actor: DeviceActor,
  input: { token?: { id: string; secret: string; name: string }; forgetSecret?: boolean; agent?: GuideAgent; finished?: boolean },
): Promise<boolean> {
  const root = await openRoot(store);
  const t = input.token;
  if (t !== undefined) {
    if (root.doc().guide?.token !== undefined) return false;
    validName(t.name);
    if (t.id === "" || t.secret === "") throw new OpError(OpErrorCode.invalid, "a token has an id and a secret");
  }
  if (input.agent !== undefined && !GUIDE_AGENTS.includes(input.agent)) throw new OpError(OpErrorCode.invalid, `no way to connect named ${input.agent}`);
  const now = nowOf(actor);
  root.change((r) => {
    // Two devices writing it first at once keep one of the two records (the guide's progress is
    // derived from the workspace itself, so little depends on it).
    r.guide ??= {} as GuideState;
    const g = r.guide;
    if (t !== undefined) g.token = { id: imm(t.id), secret: imm(t.secret), name: imm(t.name.trim()), createdAt: now };
    if (input.forgetSecret === true && g.token?.secret !== undefined) delete g.token.secret;
    if (input.agent !== undefined) g.agent = imm(input.agent);
    if (input.finished === true && g.finished === undefined) g.finished = now;
  });
  return true;
}
