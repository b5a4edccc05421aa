import { describe, expect, it } from "vitest";
import type { ModelId } from "@botschat/model";
import { DEMO_MODELS, DemoBackend } from "./DemoBackend.js";
import { slashCommand, type SlashContext } from "./slashCommand.js";

function ctx(): SlashContext & { set: ModelId[] } {
  const set: ModelId[] = [];
  return { backend: new DemoBackend(), models: DEMO_MODELS, model: "demo/smart" as ModelId, set, setModel: async (m) => void set.push(m) };
}

describe("slashCommand", () => {
  it("leaves ordinary text and unknown commands to the backend", async () => {
    expect(await slashCommand("hello /help", ctx())).toBeUndefined();
    expect(await slashCommand("/deploy now", ctx())).toBeUndefined();
  });

  it("/help lists the commands and /skills the backend's skills", async () => {
    expect((await slashCommand("/help", ctx()))!.text).toContain("`/model <id>`");
    expect((await slashCommand(" /skills ", ctx()))!.text).toContain("**web_search**");
  });

  it("/model shows the current model; /model <id> sets a known one and answers with it", async () => {
    const c = ctx();
    expect((await slashCommand("/model", c))!.text).toContain("`demo/smart` — Demo Smart (current)");
    const r = await slashCommand("/model demo/fast", c);
    expect(r).toMatchObject({ model: "demo/fast", text: "This session now uses `demo/fast`." });
    expect(c.set).toEqual(["demo/fast"]);
  });

  it("/model with an unknown id changes nothing and lists the choices", async () => {
    const c = ctx();
    expect((await slashCommand("/model gpt-9", c))!.text).toMatch(/There is no model `gpt-9`[\s\S]*demo\/creative/);
    expect(c.set).toEqual([]);
  });
});
