import { describe, expect, it } from "vitest";
import type { AgentId, MessageId } from "@botschat/model";
import type { AgentBackend, AgentEvent, AgentRequest } from "./AgentBackend.js";

/** How a conformance run gets a backend, and what it may assume about it. */
export interface AgentBackendFixture {
  backend: AgentBackend;
  /** A prompt the backend answers with at least one action block. */
  actionPrompt: string;
  /** A prompt the backend answers with a tool call. */
  toolPrompt: string;
  /** A prompt that takes long enough to abort mid-stream. */
  longPrompt: string;
  close?(): Promise<void>;
}

/**
 * The behaviour every {@link AgentBackend} shares (the demo agent's, OpenClaw's): what it
 * publishes, the shape of its event stream, models, conversations, answers and aborts. A new
 * backend needs only a fixture.
 *
 * @example
 * runAgentBackendConformance("DemoBackend", async () => ({ backend: new DemoBackend({ delayMs: 0 }), longPrompt: "tell a long story" }));
 */
export function runAgentBackendConformance(name: string, makeFixture: () => Promise<AgentBackendFixture>): void {
  const collect = async (backend: AgentBackend, req: Omit<AgentRequest, "signal" | "agentId"> & { signal?: AbortSignal }): Promise<AgentEvent[]> => {
    const agentId = (await backend.listAgents())[0]!.id as AgentId;
    const out: AgentEvent[] = [];
    for await (const ev of backend.answer({ agentId, signal: new AbortController().signal, ...req })) out.push(ev);
    return out;
  };
  const use = async (f: (fx: AgentBackendFixture) => Promise<void>): Promise<void> => {
    const fx = await makeFixture();
    try {
      await f(fx);
    } finally {
      await fx.close?.();
      await fx.backend.close?.();
    }
  };

  describe(`AgentBackend conformance: ${name}`, () => {
    it("lists at least one agent and one model, with exactly one default model", () =>
      use(async ({ backend }) => {
        const agents = await backend.listAgents();
        expect(agents.length).toBeGreaterThan(0);
        for (const a of agents) expect(a.id.length).toBeGreaterThan(0);
        const models = await backend.listModels();
        expect(models.length).toBeGreaterThan(0);
        expect(models.filter((m) => m.default)).toHaveLength(1);
        expect(Array.isArray(await backend.listSkills())).toBe(true);
      }));

    it("streams growing cumulative text and ends with exactly one final reply that matches it", () =>
      use(async ({ backend }) => {
        const events = await collect(backend, { conversation: "conformance:stream", text: "Hello there" });
        const finals = events.filter((e) => e.type === "final");
        expect(finals).toHaveLength(1);
        expect(events.at(-1)!.type).toBe("final");
        const texts = events.flatMap((e) => (e.type === "text" ? [e.text] : []));
        expect(texts.length).toBeGreaterThan(1);
        for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
        const result = finals[0]!.type === "final" ? finals[0]!.result : undefined;
        expect(result!.text.length).toBeGreaterThan(0);
        expect(result!.text).toBe(texts.at(-1));
      }));

    it("streams cumulative reasoning, and pairs every tool start with an end of the same id", () =>
      use(async ({ backend, toolPrompt }) => {
        const events = await collect(backend, { conversation: "conformance:tools", text: toolPrompt });
        const reasoning = events.flatMap((e) => (e.type === "reasoning" ? [e.text] : []));
        for (let i = 1; i < reasoning.length; i++) expect(reasoning[i]!.startsWith(reasoning[i - 1]!)).toBe(true);
        const tools = events.flatMap((e) => (e.type === "tool" ? [e] : []));
        expect(tools.length).toBeGreaterThan(0);
        const open = new Set<string>();
        for (const t of tools) {
          if (t.phase === "start") open.add(t.id);
          else expect(open.delete(t.id)).toBe(true);
        }
        expect([...open]).toEqual([]);
      }));

    it("answers with the model asked for, and with the default model when none is asked", () =>
      use(async ({ backend }) => {
        const models = await backend.listModels();
        const def = models.find((m) => m.default)!.id;
        const other = models.find((m) => !m.default) ?? models[0]!;
        const final = (evs: AgentEvent[]) => evs.flatMap((e) => (e.type === "final" ? [e.result] : []))[0]!;
        expect(final(await collect(backend, { conversation: "conformance:model-a", text: "Hi" })).model).toBe(def);
        expect(final(await collect(backend, { conversation: "conformance:model-b", text: "Hi", model: other.id })).model).toBe(other.id);
      }));

    it("keeps conversations apart: a new conversation key starts a new history", () =>
      use(async ({ backend }) => {
        const reply = async (conversation: string, text: string) =>
          (await collect(backend, { conversation, text })).flatMap((e) => (e.type === "final" ? [e.result.text] : []))[0]!;
        await reply("conformance:one", "first message");
        const secondInOne = await reply("conformance:one", "second message");
        const firstInTwo = await reply("conformance:two", "first message");
        expect(secondInOne).not.toBe(firstInTwo);
      }));

    it("stops streaming promptly once the request's signal aborts", () =>
      use(async ({ backend, longPrompt }) => {
        const abort = new AbortController();
        const agentId = (await backend.listAgents())[0]!.id;
        let seen = 0;
        let final = false;
        const run = (async () => {
          for await (const ev of backend.answer({ conversation: "conformance:abort", agentId, text: longPrompt, signal: abort.signal })) {
            seen += 1;
            if (ev.type === "final") final = true;
            if (seen === 3) abort.abort(new Error("stop"));
          }
        })();
        await run.catch(() => undefined);
        expect(final).toBe(false);
        expect(seen).toBeLessThan(10);
      }));

    it("takes a chosen action as the person's answer", () =>
      use(async ({ backend, actionPrompt }) => {
        const first = await collect(backend, { conversation: "conformance:action", text: actionPrompt });
        const result = first.flatMap((e) => (e.type === "final" ? [e.result] : []))[0]!;
        const block = result.actions?.[0];
        expect(block).toBeDefined();
        const value = block!.kind === "buttons" || block!.kind === "select" ? block!.options[0]!.value : "yes";
        const label = block!.kind === "buttons" || block!.kind === "select" ? block!.options[0]!.label : "Yes";
        const answer = await collect(backend, {
          conversation: "conformance:action",
          text: label,
          answer: { message: "m1" as MessageId, block: block!.id, value, label },
        });
        expect(answer.at(-1)!.type).toBe("final");
      }));
  });
}
