import type { GatewayView, ModelId } from "@botschat/model";

/**
 * The model a gateway answers with when neither the message nor its session names one: the
 * person's choice (Settings › Models) while the gateway offers it, else the gateway's own default.
 * The agent side decides the same way (`chosenModelOf` in libs/model).
 */
export function effectiveDefaultModel(gateway: Pick<GatewayView, "models" | "defaultModel"> | undefined, chosen: ModelId | undefined): ModelId | undefined {
  if (gateway === undefined) return undefined;
  return chosen !== undefined && gateway.models.some((m) => m.id === chosen) ? chosen : gateway.defaultModel;
}
