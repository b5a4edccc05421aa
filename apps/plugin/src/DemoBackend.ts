import type { AgentId, ModelId } from "@botschat/model";
import type { AgentBackend, AgentEvent, AgentInfo, AgentRequest, ModelChoice, SkillInfo } from "./AgentBackend.js";
import { demoReply } from "./demoReply.js";
import { abortReason, sleep } from "./sleep.js";

/** Options of the {@link DemoBackend}. */
export interface DemoBackendOptions {
  /** Pause between two streamed tokens, in ms. Default 20; tests use 0. */
  delayMs?: number;
  /** The agents to publish. Default: one agent `demo`. */
  agents?: readonly AgentInfo[];
}

/** The demo agent's models; `demo/smart` is the default. */
export const DEMO_MODELS: readonly ModelChoice[] = [
  { id: "demo/fast" as ModelId, name: "Demo Fast" },
  { id: "demo/smart" as ModelId, name: "Demo Smart", default: true },
  { id: "demo/creative" as ModelId, name: "Demo Creative" },
];

const DEMO_SKILLS: readonly SkillInfo[] = [
  { name: "markdown", description: "Answers with headings, lists, tables and code blocks." },
  {
    name: "actions",
    description: "Offers buttons, a confirmation, a select, an input field, a radio group, cards or a form (try “choose”, “radio”, “cards”, “form”).",
  },
  { name: "web_search", description: "A pretend search tool (try “weather”)." },
];

/**
 * An {@link AgentBackend} that needs no model: it streams scripted markdown replies token by
 * token (`demoReply`), with a reasoning step, a tool call for look-up prompts and action blocks
 * for some prompts. It keeps a turn count per conversation, so separate histories are visible.
 * Deterministic apart from timing; `delayMs: 0` for tests.
 */
export class DemoBackend implements AgentBackend {
  private readonly delayMs: number;
  private readonly agents: readonly AgentInfo[];
  private readonly turns = new Map<string, number>();

  constructor(options: DemoBackendOptions = {}) {
    this.delayMs = options.delayMs ?? 20;
    this.agents = options.agents ?? [{ id: "demo" as AgentId, name: "Demo agent" }];
  }

  listAgents(): Promise<readonly AgentInfo[]> {
    return Promise.resolve(this.agents);
  }

  listModels(): Promise<readonly ModelChoice[]> {
    return Promise.resolve(DEMO_MODELS);
  }

  listSkills(): Promise<readonly SkillInfo[]> {
    return Promise.resolve(DEMO_SKILLS);
  }

  async *answer(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const { signal } = request;
    const model = request.model ?? DEMO_MODELS.find((m) => m.default)!.id;
    if (!DEMO_MODELS.some((m) => m.id === model)) throw new Error(`The demo agent has no model ${model}.`);
    const turn = (this.turns.get(request.conversation) ?? 0) + 1;
    this.turns.set(request.conversation, turn);
    const reply = demoReply({ ...request, model }, turn);

    let reasoning = "";
    for (const token of tokens(reply.reasoning)) {
      await this.pause(signal);
      reasoning += token;
      yield { type: "reasoning", text: reasoning };
    }
    const tools: { name: string; summary: string }[] = [];
    if (reply.tool !== undefined) {
      const id = `tool-${turn}`;
      yield { type: "tool", id, name: reply.tool.name, phase: "start" };
      await this.pause(signal, 5);
      yield { type: "tool", id, name: reply.tool.name, phase: "end", summary: reply.tool.summary };
      tools.push(reply.tool);
    }
    let text = "";
    for (const token of tokens(reply.text)) {
      await this.pause(signal);
      text += token;
      yield { type: "text", text };
    }
    if (reply.failWith !== undefined) throw new Error(reply.failWith);
    yield {
      type: "final",
      result: {
        text,
        model,
        reasoning,
        ...(tools.length > 0 ? { tools } : {}),
        ...(reply.actions !== undefined ? { actions: reply.actions } : {}),
      },
    };
  }

  /** Waits between tokens; with `delayMs: 0` not at all: the reply is there at once, as from a model that answers instantly. */
  private async pause(signal: AbortSignal, times = 1): Promise<void> {
    if (signal.aborted) throw abortReason(signal);
    if (this.delayMs > 0) await sleep(this.delayMs * times, signal);
  }
}

/** Words with the whitespace after them, so the stream reads like a model's. */
function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
