import type { ActionBlockInput, AgentId, MessageId, ModelId } from "@botschat/model";

/**
 * What answers a person's messages: the OpenClaw agent pipeline, or the built-in demo agent.
 * The peer core ({@link AgentPeer}) owns everything about documents, claims and streaming; a
 * backend only turns one request into a stream of {@link AgentEvent}s.
 *
 * Slash commands: the core answers `/help` and `/skills` itself (from {@link AgentBackend.listSkills})
 * and turns `/model <id>` into the session's model, so every backend behaves alike; a backend
 * never sees those messages. Any other text starting with `/` reaches the backend unchanged.
 *
 * @example
 * for await (const ev of backend.answer({ conversation, agentId, text: "Hello", signal })) {
 *   if (ev.type === "text") show(ev.text);
 * }
 */
export interface AgentBackend {
  /** The agents this backend serves, published into the workspace. */
  listAgents(): Promise<readonly AgentInfo[]>;
  /** The models a person may choose, published into the workspace; `default` marks the default. */
  listModels(): Promise<readonly ModelChoice[]>;
  /** The skills `/skills` lists (may be empty). */
  listSkills(): Promise<readonly SkillInfo[]>;
  /**
   * Answers one message. The stream yields cumulative `text` and `reasoning`, `tool` activity,
   * and ends with exactly one `final` event. It throws (or ends without `final`) on failure, and
   * stops promptly — throwing or ending — once `request.signal` aborts.
   */
  answer(request: AgentRequest): AsyncIterable<AgentEvent>;
  /** Releases what the backend holds (processes, sockets). */
  close?(): Promise<void>;
}

/** An agent as a backend lists it. */
export interface AgentInfo {
  id: AgentId;
  name: string;
}

/** A model as a backend lists it. */
export interface ModelChoice {
  id: ModelId;
  name?: string;
  /** The model used when neither the message nor its session chose one. */
  default?: boolean;
}

/** A skill as `/skills` shows it. */
export interface SkillInfo {
  name: string;
  description: string;
}

/** One message to answer. */
export interface AgentRequest {
  /**
   * The backend's conversation: stable for a session (`session:<id>`), a thread
   * (`thread:<docId>`) or a task (`task:<id>`). Everything said under one key is one history.
   */
  conversation: string;
  agentId: AgentId;
  /** What the person wrote, or the label of the action they chose. */
  text: string;
  /** The model to use (the message's, else the session's, else the backend's default). */
  model?: ModelId;
  /** In a thread: the message the thread hangs off. */
  parent?: ContextMessage;
  /** When the person chose an action on an agent message, which block and value. */
  answer?: ActionChoice;
  /**
   * Set when the message was answered before: the person asked for another answer
   * (`regenerate`, maybe from another model) or edited it (`edit`; `text` is the edited text).
   */
  version?: "regenerate" | "edit";
  signal: AbortSignal;
}

/** A message given as context. */
export interface ContextMessage {
  id: MessageId;
  role: "user" | "agent" | "system";
  text: string;
}

/** A person's choice on an action block. */
export interface ActionChoice {
  /** The agent message that carried the block. */
  message: MessageId;
  block: string;
  value: string;
  label: string;
}

/** What a backend streams while it answers. */
export type AgentEvent =
  /** The reply so far (cumulative, not a delta). */
  | { type: "text"; text: string }
  /** The reasoning so far (cumulative). */
  | { type: "reasoning"; text: string }
  /** A tool call starting or ending. */
  | { type: "tool"; id: string; name: string; phase: "start" | "end"; summary?: string }
  /** The final reply; the last event. */
  | { type: "final"; result: AgentResult };

/** A finished reply. */
export interface AgentResult {
  text: string;
  /** The model that actually answered. */
  model: ModelId;
  reasoning?: string;
  tools?: readonly { name: string; summary: string }[];
  actions?: readonly ActionBlockInput[];
}
