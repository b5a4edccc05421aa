import type { ModelId } from "./ids.js";

/** What of a gateway decides the model it answers with: the models it offers, and its own default. */
export interface OfferedModels {
  readonly models: readonly { readonly id: string }[];
  readonly defaultModel?: ModelId | undefined;
}

/**
 * The model a gateway answers with when neither a message nor its session names one: the person's
 * choice (Settings › Models) while the gateway still offers it, else the gateway's own default.
 * The one rule for the web (what it shows) and the agents (`chosenModelOf`, what a message asks for).
 *
 * @example
 * const gateway = { models: [{ id: "demo/fast" }, { id: "demo/smart" }], defaultModel: "demo/smart" as ModelId };
 * effectiveDefaultModel(gateway, "demo/fast" as ModelId) // "demo/fast"
 * effectiveDefaultModel(gateway, "demo/gone" as ModelId) // "demo/smart": no longer offered
 */
export function effectiveDefaultModel(gateway: OfferedModels | undefined, chosen: ModelId | undefined): ModelId | undefined {
  if (gateway === undefined) return undefined;
  return chosen !== undefined && gateway.models.some((m) => m.id === chosen) ? chosen : gateway.defaultModel;
}
