import type { ModelId } from "@botschat/model";
import type { AgentBackend, AgentEvent, AgentInfo, AgentRequest, AgentResult, ModelChoice, SkillInfo } from "../AgentBackend.js";
import { splitActions, visibleText } from "./actionBlocks.js";
import { AsyncQueue } from "./AsyncQueue.js";
import { composeInbound, type InboundText } from "./composeInbound.js";
import { agentsOf, CHANNEL_ID, defaultModelOf, modelsOf, sessionKeyOf, unofferedModel } from "./openclawConfig.js";
import { outboundMailbox } from "./outboundMailbox.js";
import { sessionTurns } from "./sessionTurns.js";
import type { AgentEvents, ChannelRuntime, OpenClawConfig, ReplyPayload } from "./openclawSdk.js";

/** What an {@link OpenClawBackend} needs from the gateway. */
export interface OpenClawBackendOptions {
  /** The channel runtime (`ctx.channelRuntime` or `api.runtime.channel`). */
  channel: ChannelRuntime;
  /** OpenClaw's current config (`api.runtime.config.current`). */
  config: () => OpenClawConfig;
  /** The channel account, part of every session key. */
  accountId: string;
  /** Agent run events (`api.runtime.events`): tool calls, which the reply callbacks leave out. */
  events?: AgentEvents;
}

/** How long a turn that OpenClaw folded into a running one waits for that run's answer. */
const FOLDED_REPLY_MS = 180_000;

const TOOL_END = new Set(["end", "result", "done", "complete", "completed", "error", "failed"]);

/**
 * The {@link AgentBackend} inside an OpenClaw gateway: each request becomes an inbound message of
 * the `botschat` channel in its own session (`agent:<agent>:botschat:<account>:<conversation>`)
 * and is answered by OpenClaw's agent pipeline. `onPartialReply` (cumulative) becomes `text`
 * events, reasoning and tool callbacks their events, the delivered final reply the `final` one,
 * with the model `onModelSelected` named. A request's model is set on its session with OpenClaw's
 * own `/model` command, so it holds for that session only; a model OpenClaw does not offer
 * (`agents.defaults.models`, the list published as the gateway's models) fails the reply instead.
 * Agents and models come from the config. Turns of one session wait for each other ({@link sessionTurns}).
 *
 * Only the person's own words carry command authority: a thread's parent message and an action's
 * label and value reach the agent as quoted context, never as text OpenClaw parses for commands,
 * and an action answer is not command-authorized at all ({@link composeInbound}).
 */
export class OpenClawBackend implements AgentBackend {
  /** The model each session key was last switched to by this process. */
  private readonly sessionModels = new Map<string, string>();
  private seq = 0;

  constructor(private readonly opts: OpenClawBackendOptions) {}

  listAgents(): Promise<readonly AgentInfo[]> {
    return Promise.resolve(agentsOf(this.opts.config()));
  }

  listModels(): Promise<readonly ModelChoice[]> {
    return Promise.resolve(modelsOf(this.opts.config()));
  }

  listSkills(): Promise<readonly SkillInfo[]> {
    return Promise.resolve([]);
  }

  async *answer(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const cfg = this.opts.config();
    const sessionKey = sessionKeyOf(request.agentId, this.opts.accountId, request.conversation);
    const model = request.model ?? defaultModelOf(cfg);
    const unoffered = unofferedModel(cfg, model);
    if (unoffered !== undefined) throw new Error(unoffered);
    const release = await sessionTurns.acquire(sessionKey, request.signal);
    try {
      if (model !== undefined && this.sessionModels.get(sessionKey) !== model) {
        const said = await this.command(sessionKey, request.conversation, `/model ${model}`, request.signal);
        if (!said.includes(model)) throw new Error(`OpenClaw did not switch to ${model}: ${said.slice(0, 200)}`);
        this.sessionModels.set(sessionKey, model);
      }
      yield* this.turn(sessionKey, request, composeInbound(request), model);
    } finally {
      release();
    }
  }

  /** Sends a slash command to a session and answers what OpenClaw replied. */
  private async command(sessionKey: string, to: string, text: string, signal: AbortSignal): Promise<string> {
    const said: string[] = [];
    await this.opts.channel.reply.dispatchReplyWithBufferedBlockDispatcher({
      ctx: this.inbound(sessionKey, to, { agentText: text, commandText: text }),
      cfg: this.opts.config(),
      dispatcherOptions: { deliver: (p) => void (p.text !== undefined && said.push(p.text)) },
      replyOptions: { abortSignal: signal },
    });
    return said.join("\n");
  }

  /**
   * The inbound context of one message. OpenClaw parses only `BodyForCommands` for commands and
   * directives (`resolveCanonicalInboundText` in dist/inbound-context-*.mjs), and only with
   * `CommandAuthorized`; `CommandInterpretationSuppressed` makes it parse nothing and authorize
   * nothing (its own `chat.send` sets it for text that must not act as a command).
   */
  private inbound(sessionKey: string, to: string, text: InboundText): unknown {
    const command = text.commandText;
    return this.opts.channel.reply.finalizeInboundContext({
      Body: text.agentText,
      RawBody: command ?? text.agentText,
      CommandBody: command ?? "",
      BodyForCommands: command ?? "",
      BodyForAgent: text.agentText,
      From: `${CHANNEL_ID}:${this.opts.accountId}`,
      To: to,
      SessionKey: sessionKey,
      AccountId: this.opts.accountId,
      MessageSid: `bc-${Date.now().toString(36)}-${++this.seq}`,
      ChatType: "direct",
      Provider: CHANNEL_ID,
      Surface: CHANNEL_ID,
      OriginatingChannel: CHANNEL_ID,
      OriginatingTo: to,
      CommandAuthorized: command !== undefined,
      ...(command === undefined ? { CommandInterpretationSuppressed: true } : {}),
    });
  }

  private async *turn(sessionKey: string, request: AgentRequest, body: InboundText, model: string | undefined): AsyncGenerator<AgentEvent> {
    const { signal } = request;
    const queue = new AsyncQueue<AgentEvent>();
    let partial = "";
    let shown = "";
    let reasoning = "";
    let selected: string | undefined;
    const delivered: string[] = [];
    const open = new Map<string, string>();
    const tools: { name: string; summary: string }[] = [];
    const showText = (text: string): void => {
      const v = visibleText(text);
      if (v.length > shown.length && v.startsWith(shown)) {
        shown = v;
        queue.push({ type: "text", text: v });
      }
    };
    const closeTool = (id: string, summary?: string): void => {
      const name = open.get(id);
      if (name === undefined) return;
      open.delete(id);
      tools.push({ name, summary: summary ?? name });
      queue.push({ type: "tool", id, name, phase: "end", ...(summary === undefined ? {} : { summary }) });
    };
    const openTool = (id: string, name: string): void => {
      if (open.has(id) || closedIds.has(id)) return;
      open.set(id, name);
      queue.push({ type: "tool", id, name, phase: "start" });
    };
    const closedIds = new Set<string>();
    // Tool events name their run, not the session: the runs of this session are learnt from its
    // lifecycle events (which name both) and from `onAgentRunStart`.
    const runs = new Set<string>();
    const stopEvents = this.opts.events?.onAgentEvent((evt) => {
      if (evt.sessionKey === sessionKey) runs.add(evt.runId);
      if (evt.stream !== "tool" || !runs.has(evt.runId)) return;
      const id = typeof evt.data["toolCallId"] === "string" ? evt.data["toolCallId"] : undefined;
      const name = typeof evt.data["name"] === "string" ? evt.data["name"] : "tool";
      const phase = typeof evt.data["phase"] === "string" ? evt.data["phase"] : "start";
      if (id === undefined) return;
      if (TOOL_END.has(phase)) {
        closeTool(id);
        closedIds.add(id);
      } else openTool(id, name);
    });
    const onAbort = (): void => queue.fail(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });

    const mailbox = outboundMailbox.open(this.opts.accountId, request.conversation);
    const dispatched = this.opts.channel.reply.dispatchReplyWithBufferedBlockDispatcher({
      ctx: this.inbound(sessionKey, request.conversation, body),
      cfg: this.opts.config(),
      dispatcherOptions: {
        deliver: (p: ReplyPayload, info) => {
          if (p.isReasoning === true || typeof p.text !== "string") return;
          if (info.kind === "final" || info.kind === "block") delivered.push(p.text);
        },
        onError: (err) => queue.fail(err instanceof Error ? err : new Error(String(err))),
      },
      replyOptions: {
        abortSignal: signal,
        onAgentRunStart: (runId) => void runs.add(runId),
        onModelSelected: (m) => {
          if (m.provider !== undefined && m.model !== undefined) selected = `${m.provider}/${m.model}`;
        },
        onPartialReply: (p) => {
          if (typeof p.text !== "string") return;
          partial = p.text;
          showText(partial);
        },
        onReasoningStream: (p) => {
          if (typeof p.text !== "string" || p.text === "") return;
          const next = p.isReasoningSnapshot === true || p.text.startsWith(reasoning) ? p.text : reasoning + p.text;
          if (next === reasoning) return;
          reasoning = next;
          queue.push({ type: "reasoning", text: reasoning });
        },
        onToolStart: (t) => {
          const id = t.toolCallId ?? t.itemId ?? t.name ?? "tool";
          if (t.phase !== undefined && TOOL_END.has(t.phase)) return closeTool(id);
          if (!closedIds.has(id)) openTool(id, t.name ?? "tool");
        },
        onItemEvent: (e) => {
          const id = e.toolCallId ?? e.itemId;
          if (id === undefined || !open.has(id)) return;
          if ((e.phase !== undefined && TOOL_END.has(e.phase)) || (e.status !== undefined && TOOL_END.has(e.status))) closeTool(id, e.summary);
        },
      },
    });
    dispatched.then(
      async () => {
        for (const id of [...open.keys()]) closeTool(id);
        let full = delivered.length > 0 ? delivered.join("\n\n") : partial;
        // Folded into a run already going in this session: its answer comes through outbound.
        if (full === "") full = (await mailbox.next(signal, FOLDED_REPLY_MS)) ?? "";
        const { text, actions } = splitActions(full);
        if (text === "" && actions.length === 0) {
          queue.fail(new Error("OpenClaw ended the turn without a reply."));
          return;
        }
        if (text !== shown && text.startsWith(shown)) queue.push({ type: "text", text });
        const result: AgentResult = {
          text,
          model: (selected ?? model ?? "unknown") as ModelId,
          ...(reasoning === "" ? {} : { reasoning }),
          ...(tools.length === 0 ? {} : { tools }),
          ...(actions.length === 0 ? {} : { actions }),
        };
        queue.push({ type: "final", result });
        queue.end();
      },
      (e: unknown) => queue.fail(e instanceof Error ? e : new Error(String(e))),
    );
    try {
      yield* queue;
    } finally {
      signal.removeEventListener("abort", onAbort);
      stopEvents?.();
      mailbox.close();
    }
  }
}
