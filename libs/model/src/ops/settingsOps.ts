import type { DocStore } from "../docs/DocStore.js";
import { imm } from "../docs/Imm.js";
import type { ModelId } from "../docs/ids.js";
import type { DeviceActor } from "./Actor.js";
import { openRoot } from "./openDoc.js";

/** Changes workspace settings; `null` clears one. */
export async function updateSettings(store: DocStore, _actor: DeviceActor, input: { defaultModel?: ModelId | null }): Promise<void> {
  const root = await openRoot(store);
  root.change((r) => {
    if (input.defaultModel === null) delete r.settings.defaultModel;
    else if (input.defaultModel !== undefined) r.settings.defaultModel = imm(input.defaultModel);
  });
}
