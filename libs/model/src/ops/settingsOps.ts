import type { DocStore } from "../docs/DocStore.js";
import { effectiveDefaultModel } from "../docs/defaultModel.js";
import { imm, str } from "../docs/Imm.js";
import type { GatewayId, ModelId } from "../docs/ids.js";
import type { RootDoc } from "../docs/RootDoc.js";
import type { DeviceActor } from "./Actor.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { openRoot } from "./openDoc.js";

/** The longest model id kept as a gateway's default (gateways publish short ids such as `openai/gpt-5`). */
export const MODEL_ID_MAX_CHARS = 200;

/**
 * Changes workspace settings; `null` clears one. `gatewayModel` chooses the default model of one
 * gateway, shared by every device of the workspace.
 *
 * @example
 * await updateSettings(store, me, { gatewayModel: { gateway, model: "demo/fast" as ModelId } });
 */
export async function updateSettings(
  store: DocStore,
  _actor: DeviceActor,
  input: { defaultModel?: ModelId | null; gatewayModel?: { gateway: GatewayId; model: ModelId | null } },
): Promise<void> {
  const root = await openRoot(store);
  const g = input.gatewayModel;
  if (g !== undefined) {
    if (root.doc().gateways[g.gateway] === undefined) throw new OpError(OpErrorCode.notFound, `no gateway ${g.gateway}`);
    if (g.model !== null && (g.model.trim() === "" || g.model.length > MODEL_ID_MAX_CHARS)) {
      throw new OpError(OpErrorCode.invalid, `a model id is 1 to ${MODEL_ID_MAX_CHARS} characters`);
    }
  }
  root.change((r) => {
    if (input.defaultModel === null) delete r.settings.defaultModel;
    else if (input.defaultModel !== undefined) r.settings.defaultModel = imm(input.defaultModel);
    if (g === undefined) return;
    if (g.model === null) {
      if (r.settings.defaultModels !== undefined) delete r.settings.defaultModels[g.gateway];
      return;
    }
    // Made by the first choice. Two devices making it at once, offline, keep one of the two maps:
    // the choice of the other is lost, as if it had been made first and then changed.
    r.settings.defaultModels ??= {};
    r.settings.defaultModels[g.gateway] = imm(g.model);
  });
}

/** The person's default model of every gateway that has one, as stored. */
export function defaultModelsOf(root: RootDoc): Partial<Record<GatewayId, ModelId>> {
  const out: Partial<Record<GatewayId, ModelId>> = {};
  for (const [gateway, model] of Object.entries(root.settings?.defaultModels ?? {})) out[gateway as GatewayId] = str(model);
  return out;
}

/**
 * The default model the person chose for a gateway, while the gateway still offers it (a model it
 * stopped offering leaves the gateway's own default in charge): {@link effectiveDefaultModel}
 * with the gateway's default left out, so a message names no model and the gateway decides.
 */
export function chosenModelOf(root: RootDoc, gateway: GatewayId): ModelId | undefined {
  const models = (root.gateways[gateway]?.models ?? []).map((m) => ({ id: str(m.id) }));
  return effectiveDefaultModel({ models }, str(root.settings?.defaultModels?.[gateway]));
}
