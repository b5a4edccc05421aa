import { describe, expect, it } from "vitest";
import type { AgentId, MessageId, ModelId } from "@botschat/model";
import type { AgentEvent, AgentRequest } from "./AgentBackend.js";
import { DemoBackend } from "./DemoBackend.js";
import { runAgentBackendConformance } from "./runAgentBackendConformance.js";

runAgentBackendConformance("DemoBackend", async () => ({
  backend: new DemoBackend({ delayMs: 0 }),
  actionPrompt: "let me choose a colour",
  toolPrompt: "look up the weather",
  longPrompt: "tell me a long story",
}));

async function run(backend: DemoBackend, req: Partial<AgentRequest> & { text: string }): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const ev of backend.answer({ conversation: "c", agentId: "demo" as AgentId, signal: new AbortController().signal, ...req })) out.push(ev);
  return out;
}
const finalOf = (evs: AgentEvent[]) => evs.flatMap((e) => (e.type === "final" ? [e.result] : []))[0]!;

describe("the demo backend", () => {
  it("offers three demo models with demo/smart as the default", async () => {
    const models = await new DemoBackend().listModels();
    expect(models.map((m) => m.id)).toEqual(["demo/fast", "demo/smart", "demo/creative"]);
    expect(models.find((m) => m.default)?.id).toBe("demo/smart");
  });

  it("streams a reasoning step before the text, and a tool call for a look-up prompt", async () => {
    const evs = await run(new DemoBackend({ delayMs: 0 }), { text: "what is the weather in Paris?" });
    const kinds = evs.map((e) => e.type);
    expect(kinds.indexOf("reasoning")).toBeLessThan(kinds.indexOf("text"));
    expect(evs.filter((e) => e.type === "tool").map((e) => (e.type === "tool" ? e.phase : ""))).toEqual(["start", "end"]);
    expect(finalOf(evs).tools).toEqual([{ name: "web_search", summary: expect.stringContaining("searched") as string }]);
  });

  it("answers a code prompt with a fenced code block and a table prompt with a markdown table", async () => {
    const b = new DemoBackend({ delayMs: 0 });
    expect(finalOf(await run(b, { text: "write some code" })).text).toMatch(/```ts\n[\s\S]+\n```/);
    expect(finalOf(await run(b, { text: "compare the models in a table" })).text).toMatch(/\|---\|---\|---\|/);
  });

  it.each([
    ["choose a colour", "buttons"],
    ["confirm the deletion", "confirm"],
    ["select a city", "select"],
    ["ask me for a name", "input"],
    ["show me a radio group", "radio"],
    ["show me some cards", "cards"],
    ["fill in a form", "form"],
  ])("answers “%s” with a %s block", async (text, kind) => {
    expect(finalOf(await run(new DemoBackend({ delayMs: 0 }), { text })).actions?.[0]?.kind).toBe(kind);
  });

  it("offers several cards to choose together on “several cards”", async () => {
    const block = finalOf(await run(new DemoBackend({ delayMs: 0 }), { text: "several cards please" })).actions?.[0];
    expect(block).toMatchObject({ kind: "cards", multiple: true });
  });

  it("answers a submitted form with each of its values", async () => {
    const value = JSON.stringify({ name: "Apollo", size: 4, public: true });
    const answer = { message: "m" as MessageId, block: "new-project", value, label: "Project name: Apollo" };
    const text = finalOf(await run(new DemoBackend({ delayMs: 0 }), { text: answer.label, answer })).text;
    expect(text).toContain("You submitted the form on block `new-project`:\n\n- `name`: Apollo\n- `size`: 4\n- `public`: yes");
  });

  it("quotes the parent message in a thread and names the chosen action in an answer", async () => {
    const b = new DemoBackend({ delayMs: 0 });
    const inThread = finalOf(await run(b, { text: "and then?", parent: { id: "p" as MessageId, role: "agent", text: "The parent says hi" } }));
    expect(inThread.text).toContain("> In reply to: The parent says hi");
    const answered = finalOf(await run(b, { text: "Green", answer: { message: "m" as MessageId, block: "pick-colour", value: "green", label: "Green" } }));
    expect(answered.text).toContain("You chose **Green** (`green`)");
  });

  it("refuses a model it does not have, and fails when asked to", async () => {
    const b = new DemoBackend({ delayMs: 0 });
    await expect(run(b, { text: "hi", model: "gpt/none" as ModelId })).rejects.toThrow(/no model gpt\/none/);
    await expect(run(b, { text: "please fail" })).rejects.toThrow(/asked to fail/);
  });
});
