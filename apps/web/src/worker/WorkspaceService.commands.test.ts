import { commandUseOf, type DeviceActor, ROOT_DOC_ID, type RootDoc } from "@botschat/model";
import { testWorkspace } from "@botschat/model/testing";
import { describe, expect, it } from "vitest";
import { WorkspaceService } from "./WorkspaceService.js";

/**
 * A service over an in-memory workspace: the operations run as in the browser, on the engine's
 * document store (the sync, IndexedDB and the relay left out; `op` only needs the store, its `saved` and the actor).
 */
async function openService() {
  const w = await testWorkspace();
  const service = new WorkspaceService();
  // A memory store is on no disk: it is saved as soon as it is written.
  const engine = Object.assign(w.store, { saved: () => Promise.resolve() });
  Object.assign(service as unknown as { engine: unknown; actor: DeviceActor }, { engine, actor: w.me });
  const uses = async () => commandUseOf((await w.store.find<RootDoc>(ROOT_DOC_ID)).doc()).map(({ command, count }) => ({ command, count }));
  return { ...w, service, uses };
}

describe("the use of a slash command", () => {
  it("counts the same sent in the chat and replied in a thread; a message that is not a command does not count", async () => {
    const w = await openService();
    const sent = await w.service.sendMessage({ channelDoc: w.channelDoc, session: w.session, text: "/help" });
    if (!sent.ok) throw new Error(sent.message);
    expect(await w.uses()).toEqual([{ command: "/help", count: 1 }]);

    const parent = sent.value.message;
    const replied = await w.service.replyInThread({ pageDoc: w.page, message: parent, text: "/help" });
    expect(replied.ok).toBe(true);
    await w.service.replyInThread({ pageDoc: w.page, message: parent, text: "  /model   demo/fast " });
    expect(await w.uses()).toEqual([
      { command: "/help", count: 2 },
      { command: "/model demo/fast", count: 1 },
    ]);

    // A quoted reply (how a thread quotes) is a message, not a command.
    await w.service.replyInThread({ pageDoc: w.page, message: parent, text: "> an earlier message\n\n/help" });
    expect(await w.uses()).toEqual([
      { command: "/help", count: 2 },
      { command: "/model demo/fast", count: 1 },
    ]);
  });
});
