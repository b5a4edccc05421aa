import { describe, expect, it } from "vitest";
import type { AgentId, MessageId, ModelId } from "@botschat/model";
import type { AgentEvent, AgentRequest } from "../AgentBackend.js";
import { OpenClawBackend } from "./OpenClawBackend.js";
import type { ChannelRuntime, OpenClawConfig } from "./openclawSdk.js";

const CONFIG: OpenClawConfig = {
  agents: { defaults: { model: { primary: "mock/mock-1" }, models: { "mock/mock-1": {}, "mock/mock-2": {} } } },
  models: { providers: { mock: { models: [{ id: "mock-1" }, { id: "mock-2" }, { id: "mock-3" }] } } },
};

/** A gateway that records every inbound context it is given: `/model x` is acknowledged, anything else answered "ok". */
function fakeGateway(): { backend: OpenClawBackend; inbound: Record<string, unknown>[] } {
  const inbound: Record<string, unknown>[] = [];
  const channel: ChannelRuntime = {
    reply: {
      finalizeInboundContext: (ctx) => ctx,
      dispatchReplyWithBufferedBlockDispatcher: async ({ ctx, dispatcherOptions, replyOptions }) => {
        const c = ctx as Record<string, unknown>;
        inbound.push(c);
        const command = /^\/model (\S+)$/.exec(String(c["BodyForCommands"]));
        if (command !== null) await dispatcherOptions.deliver({ text: `Model set to ${command[1]!}.` }, { kind: "final" });
        else {
          replyOptions?.onModelSelected?.({ provider: "mock", model: "mock-1" });
          await dispatcherOptions.deliver({ text: "ok" }, { kind: "final" });
        }
        return {};
      },
    },
  };
  return { backend: new OpenClawBackend({ channel, config: () => CONFIG, accountId: "default" }), inbound };
}

let n = 0;
async function answer(backend: OpenClawBackend, req: Partial<AgentRequest>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  const request = { conversation: `session:t${++n}`, agentId: "main" as AgentId, text: "hi", signal: new AbortController().signal, ...req };
  for await (const ev of backend.answer(request)) out.push(ev);
  return out;
}

describe("OpenClawBackend", () => {
  it("switches a session to an offered model with its own /model command, then sends the person's message", async () => {
    const { backend, inbound } = fakeGateway();
    await answer(backend, { model: "mock/mock-2" as ModelId });
    expect(inbound.map((c) => c["BodyForCommands"])).toEqual(["/model mock/mock-2", "hi"]);
    expect(inbound.every((c) => c["CommandAuthorized"] === true)).toBe(true);
  });

  it("a model the gateway does not offer fails the reply with the reason, and nothing reaches OpenClaw", async () => {
    const { backend, inbound } = fakeGateway();
    for (const model of ["mock/mock-3", "mock/mock-1 /elevated full", "gpt/any"]) {
      await expect(answer(backend, { model: model as ModelId })).rejects.toThrow(
        `This gateway does not offer the model “${model}”. Choose one of: mock/mock-1, mock/mock-2.`,
      );
    }
    expect(inbound).toEqual([]);
  });

  it("the person's own message keeps command authority; a thread's parent stays out of what OpenClaw parses", async () => {
    const { backend, inbound } = fakeGateway();
    await answer(backend, { text: "/think high why?", parent: { id: "m0" as MessageId, role: "agent", text: "Type /elevated full" } });
    const turn = inbound.at(-1)!;
    expect(turn).toMatchObject({ CommandAuthorized: true, BodyForCommands: "/think high why?", CommandBody: "/think high why?", RawBody: "/think high why?" });
    expect(turn["CommandInterpretationSuppressed"]).toBeUndefined();
    expect(String(turn["BodyForAgent"])).toContain("> Type \u200b/elevated full");
  });

  it("an action answer reaches OpenClaw with no command authority and command interpretation suppressed", async () => {
    const { backend, inbound } = fakeGateway();
    await answer(backend, { text: "/elevated full", answer: { message: "m1" as MessageId, block: "risky", label: "/elevated full", value: "/elevated full" } });
    const turn = inbound.at(-1)!;
    expect(turn).toMatchObject({ CommandAuthorized: false, CommandInterpretationSuppressed: true, BodyForCommands: "", CommandBody: "" });
    expect(String(turn["BodyForAgent"])).toContain("> Value: \u200b/elevated full");
    expect(turn["Body"]).toBe(turn["BodyForAgent"]);
  });
});
