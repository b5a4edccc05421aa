import { describe, expect, it } from "vitest";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import type { AgentId, GatewayId, ModelId } from "../docs/ids.js";
import { toPlain } from "../docs/Imm.js";
import type { RootDoc } from "../docs/RootDoc.js";
import { publishGateway } from "./agentOps.js";
import { findPendingMessages } from "./findWork.js";
import { findWorkIn } from "./findWorkIn.js";
import { sendMessage } from "./messageOps.js";
import { setSessionModel } from "./sessionOps.js";
import { chosenModelOf, defaultModelsOf, updateSettings } from "./settingsOps.js";
import { testGateway, testWorkspace } from "./testWorkspace.js";

const home = "gw-home" as GatewayId;
const fast = "demo/fast" as ModelId;
const smart = "demo/smart" as ModelId;
const info = { name: "Home", agents: [{ id: "main" as AgentId, name: "Main" }], models: [{ id: fast }, { id: smart }], defaultModel: smart };

async function published() {
  const w = await testWorkspace();
  await publishGateway(w.store, testGateway(), info);
  const root = async (): Promise<RootDoc> => (await w.store.find<RootDoc>(ROOT_DOC_ID)).doc();
  return { ...w, root };
}

describe("the default model per gateway", () => {
  it("is stored in the root, per gateway, and cleared with null; a root from before reads as none chosen", async () => {
    const w = await published();
    expect(defaultModelsOf(await w.root())).toEqual({});
    expect((await w.root()).settings.defaultModels).toBeUndefined();

    await updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: fast } });
    expect(toPlain((await w.root()).settings)).toEqual({ defaultModels: { [home]: fast } });
    expect(defaultModelsOf(await w.root())).toEqual({ [home]: fast });

    await updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: smart } });
    expect(defaultModelsOf(await w.root())).toEqual({ [home]: smart });

    await updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: null } });
    expect(defaultModelsOf(await w.root())).toEqual({});
    // The workspace-wide setting is left as it was.
    await updateSettings(w.store, w.me, { defaultModel: fast });
    await updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: fast } });
    expect(toPlain((await w.root()).settings)).toEqual({ defaultModel: fast, defaultModels: { [home]: fast } });
  });

  it("refuses an unknown gateway and an empty model id", async () => {
    const w = await published();
    await expect(updateSettings(w.store, w.me, { gatewayModel: { gateway: "gw-nope" as GatewayId, model: fast } })).rejects.toMatchObject({
      code: "not-found",
    });
    await expect(updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: " " as ModelId } })).rejects.toMatchObject({ code: "invalid" });
  });

  it("is what a message asks for when neither it nor its session names a model, while the gateway offers it", async () => {
    const w = await published();
    const sent = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "hello" });
    const now = 1_700_000_000_100;
    // Nothing chosen: no model named, the gateway answers with its own default.
    expect((await findPendingMessages(w.store, home, { now }))[0]!.model).toBeUndefined();

    await updateSettings(w.store, w.me, { gatewayModel: { gateway: home, model: fast } });
    expect((await findPendingMessages(w.store, home, { now }))[0]!.model).toBe(fast);
    expect((await findWorkIn(w.store, home, [sent.doc], { now })).messages[0]!.model).toBe(fast);

    // The session's own choice comes first.
    await setSessionModel(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, model: smart });
    expect((await findPendingMessages(w.store, home, { now }))[0]!.model).toBe(smart);
    await setSessionModel(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, model: null });

    // A model the gateway no longer offers is not asked for.
    await publishGateway(w.store, testGateway(), { ...info, models: [{ id: smart }] });
    expect(chosenModelOf(await w.root(), home)).toBeUndefined();
    expect((await findPendingMessages(w.store, home, { now }))[0]!.model).toBeUndefined();
  });
});
