import type { Counter } from "@automerge/automerge";
import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { AgentId, ChannelId, DocumentId, GatewayId, ModelId } from "./ids.js";

/** A channel as the root lists it: what it is called, which agent it talks to, where it lives. */
export interface ChannelEntry {
  id: Imm<ChannelId>;
  name: Imm;
  /** The gateway whose agent answers in this channel. */
  gateway: Imm<GatewayId>;
  agentId: Imm<AgentId>;
  /** The channel document. */
  doc: Imm<DocumentId>;
  /** Sidebar position: ascending, ties broken by id. */
  order: number;
  createdAt: number;
  archived?: boolean;
  /** When it was deleted (its documents are tombstoned); deleted channels are hidden. */
  deleted?: number;
}

/** An agent as a gateway publishes it. */
export interface AgentInfo {
  id: Imm<AgentId>;
  name: Imm;
}

/** A model as a gateway publishes it. */
export interface ModelInfo {
  id: Imm<ModelId>;
  name?: Imm;
}

/** A skill as a gateway publishes it: what `/skills` lists. */
export interface SkillEntry {
  name: Imm;
  /** One line. */
  description: Imm;
}

/** A gateway as its plugin publishes it (`publishGateway`). */
export interface GatewayEntry {
  id: Imm<GatewayId>;
  name: Imm;
  agents: AgentInfo[];
  models: ModelInfo[];
  defaultModel?: Imm<ModelId>;
  /** Its agents' skills (absent when it lists none, or was published before skills were). */
  skills?: SkillEntry[];
  /** When the gateway last published (ms); online state comes from the relay's `peers`. */
  lastSeen: number;
  /** The id of the pairing token it last connected with (the relay's `welcome.device`). */
  token?: Imm;
  /** When its pairing token was revoked (ms): it is no longer offered for new channels. */
  retired?: number;
}

/** Workspace-wide settings. */
export interface Settings {
  defaultModel?: Imm<ModelId>;
  /**
   * The person's default model per gateway: what a message asks for when neither it nor its
   * session names one (absent in roots from before, and until a first choice).
   */
  defaultModels?: Record<GatewayId, Imm<ModelId>>;
}

/** How often the person used one slash command, on all their devices together. */
export interface CommandUse {
  /** Uses so far: a counter, so uses on two devices at once add up. */
  count: Counter;
  /** When it was last used (ms). */
  last: number;
}

/** The pairing token the first-run guide made, so that showing the guide again never makes another. */
export interface GuideToken {
  /** The relay's id of the token (a gateway that connects with it publishes it as `token`). */
  id: Imm;
  /**
   * The token itself, kept (end-to-end encrypted, like everything here) only until a gateway
   * connected with it, so that the guide can show its lines again on any device meanwhile.
   */
  secret?: Imm;
  /** The gateway's name the person chose. */
  name: Imm;
  createdAt: number;
}

/** Where the first-run guide is: it resumes there on every device of the person. */
export interface GuideState {
  token?: GuideToken;
  /** Which lines the person follows to connect an agent. */
  agent?: Imm<"demo" | "openclaw">;
  /** When the guide was finished (its first message sent) or put away for good. */
  finished?: number;
}

/**
 * The workspace root ({@link ROOT_DOC_ID}): channels, gateways, settings. Created from a
 * deterministic first change by every device that needs it (`rootInitial`).
 */
export interface RootDoc extends DocHeader<"root"> {
  channels: Record<ChannelId, ChannelEntry>;
  gateways: Record<GatewayId, GatewayEntry>;
  settings: Settings;
  /**
   * The person's slash commands by their text (`/model demo/fast`), for the command bar; made by
   * the first use (absent in roots from before), at most `COMMANDS_COUNTED` of them.
   */
  commands?: Record<string, CommandUse>;
  /** The first-run guide's progress; made when the guide first writes (absent in roots from before it). */
  guide?: GuideState;
}

/** The root's first change (every nested map present): what `ensure(ROOT_DOC_ID, …)` creates. */
export function rootInitial(): RootDoc {
  return { type: imm("root"), schema: SCHEMA_VERSION.root, channels: {}, gateways: {}, settings: {} };
}
