import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { ChannelId, DocumentId, ModelId, SessionId, TaskId } from "./ids.js";

/** A session as its channel lists it; its messages live in page documents. */
export interface SessionEntry {
  id: Imm<SessionId>;
  title: Imm;
  /**
   * Page documents by page number ("0", "1", …). A map, not a list: two devices that start the
   * same next page concurrently write the same key and value.
   */
  pages: Record<string, Imm<DocumentId>>;
  createdAt: number;
  archived?: boolean;
  deleted?: number;
  /** The model chosen for this session (else the gateway's default). */
  model?: Imm<ModelId>;
  /**
   * How far the person has read (a message's read position, ms: `readPositionOf`). Only ever
   * raised; devices that read at once may each write it, and the largest of their values counts
   * (`readUpToOf`), so it merges as a max register.
   */
  readUpTo?: number;
}

/** A task as its channel lists it. */
export interface TaskEntry {
  id: Imm<TaskId>;
  doc: Imm<DocumentId>;
  /** Job log documents by UTC month (`YYYY-MM`). */
  jobLogs: Record<string, Imm<DocumentId>>;
  createdAt: number;
  deleted?: number;
  /**
   * When its documents were tombstoned. A deleted task stays until its gateway has removed the
   * scheduled job (`recordTaskApplied`), unless no gateway ever applied it.
   */
  purged?: number;
}

/** A channel: its sessions and background tasks. */
export interface ChannelDoc extends DocHeader<"channel"> {
  id: Imm<ChannelId>;
  sessions: Record<SessionId, SessionEntry>;
  tasks: Record<TaskId, TaskEntry>;
}

/** A new channel document (random id, one creator). */
export function channelInitial(id: ChannelId): ChannelDoc {
  return { type: imm("channel"), schema: SCHEMA_VERSION.channel, id: imm(id), sessions: {}, tasks: {} };
}
