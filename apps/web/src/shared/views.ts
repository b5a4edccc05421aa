import type {
  AgentStreamState,
  ChannelId,
  ChannelView,
  CommandUseView,
  DocumentId,
  GatewayId,
  GatewayView,
  GuideView,
  JobId,
  JobStreamState,
  JobView,
  MessageId,
  MessageView,
  ModelId,
  SessionId,
  SessionView,
  SyncLogEntry,
  SyncStatus,
  TaskId,
  TaskView,
  ToolFrame,
} from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";

/**
 * The plain data the worker pushes to the UI (structured-cloned; no Automerge objects, no keys).
 * One concept per type: what a part of the screen shows.
 */

/** The engine's state as the sync indicator shows it; `waiting` while another tab's engine runs. */
export type EngineStatus = SyncStatus & {
  waiting?: boolean;
  opened: boolean;
  /** This device's id (the author of the messages written here). */
  device?: string;
  /** A passphrase remembered on this device is being applied: the workspace opens meanwhile. */
  unlocking?: boolean;
  /** The passphrase is remembered on this device (so the last screen may be cached for a warm start). */
  remembered?: boolean;
  /** Opened and online, its first connection not tried yet: shown as connecting, not offline. */
  starting?: boolean;
  /**
   * Increases with every status the worker hands out. Pushes and call results travel on different
   * ports, so a tab keeps the status with the highest `rev`, never an older one that arrived late.
   */
  rev?: number;
};

/** The workspace root: sidebar channels, published gateways, the person's slash commands. */
export interface RootView {
  channels: ChannelView[];
  gateways: GatewayView[];
  /** The person's slash commands, most used first (absent in a view cached before they were kept). */
  commands?: CommandUseView[];
  /** The person's default model per gateway id, as chosen in Settings (absent in a view cached before). */
  defaultModels?: Partial<Record<GatewayId, ModelId>>;
  /** The first-run guide's progress (absent until it first wrote, and in a view cached before). */
  guide?: GuideView;
}

/** A channel document: its session tabs. */
export interface ChannelDocView {
  doc: DocumentId;
  sessions: SessionView[];
  missing?: boolean;
}

/** One tool call as it streams. */
/** A tool call of a reply in progress, at its latest phase. */
export type ToolActivity = ToolFrame;

/** A reply being written by an agent (eph frames, PROTOCOL [K6]): cumulative state of one run. */
export type StreamView = AgentStreamState & { doc: DocumentId; startedAt: number };

/** The messages of one page or thread document. */
export interface MessageDocView {
  doc: DocumentId;
  messages: MessageView[];
  /** False until the document is on this device (it may still arrive by catch-up). */
  present: boolean;
}

/** A task as the Tasks list shows it. */
export interface TaskSummary {
  id: TaskId;
  /** The task document. */
  doc: DocumentId;
  createdAt: number;
  /** The task document as it is; undefined while it is not on this device yet. */
  task?: TaskView;
  /** The newest job, once its log is here. */
  lastJob?: JobRow;
}

/** A channel's background tasks, oldest first. */
export interface TasksView {
  channelDoc: DocumentId;
  tasks: TaskSummary[];
  /** The channel document is not on this device (yet). */
  missing?: boolean;
}

/** One task document. */
export interface TaskPageView {
  doc: DocumentId;
  /** Undefined while the document is not here (still arriving, or deleted). */
  task?: TaskView;
}

/** A job as the history lists it: its output comes with {@link JobDetailView}. */
export type JobRow = Omit<JobView, "output"> & {
  /** The job log document that holds it. */
  doc: DocumentId;
  hasOutput: boolean;
};

/** The newest jobs of a task across its monthly logs, newest first. */
export interface JobsView {
  taskDoc: DocumentId;
  jobs: JobRow[];
  /** Older jobs exist beyond this window. */
  more: boolean;
  /** Some of the logs the window needs are still loading. */
  loading: boolean;
}

/** One job, whole. */
export interface JobDetailView {
  doc: DocumentId;
  job?: JobView;
}

/** A running job's output so far (eph frames of the agent, cumulative). */
export type JobStreamView = JobStreamState & { doc: DocumentId };

/** What is unread in one session of the sidebar's channels (agent messages after how far it was read). */
export interface SessionUnreadView {
  channel: ChannelId;
  channelDoc: DocumentId;
  session: SessionId;
  count: number;
  /** The first unread message in reading order: where the "new messages" divider goes. */
  first?: MessageId;
  /** The newest unread message (what a notification says). */
  latest?: { id: MessageId; text: string; createdAt: number };
}

/** Unread state of every open session of every channel not archived; a session whose pages are still loading is left out until they are here. */
export interface UnreadView {
  sessions: SessionUnreadView[];
}

/** Everything the worker tells every tab about, besides watched documents. */
export type GlobalUpdate = { kind: "status"; status: EngineStatus } | { kind: "peers"; peers: PeerInfo[] } | { kind: "log"; lines: SyncLogEntry[] };

/** Updates for one watch. */
export type WatchUpdate =
  | { kind: "root"; root: RootView }
  | { kind: "channel"; channel: ChannelDocView }
  | { kind: "messages"; view: MessageDocView }
  | { kind: "stream"; stream: StreamView }
  | { kind: "tasks"; view: TasksView }
  | { kind: "task"; view: TaskPageView }
  | { kind: "jobs"; view: JobsView }
  | { kind: "job"; view: JobDetailView }
  | { kind: "job-stream"; stream: JobStreamView }
  | { kind: "unread"; view: UnreadView };

/** What a watch follows. */
export type WatchTarget =
  | { kind: "root" }
  | { kind: "channel"; doc: DocumentId }
  /** A page or thread document: its messages and the reply streams about it. */
  | { kind: "messages"; doc: DocumentId }
  /** A channel's tasks, each with its newest job. */
  | { kind: "tasks"; channelDoc: DocumentId }
  /** One task document. */
  | { kind: "task"; doc: DocumentId }
  /** The newest `limit` jobs of a task (older months are read only as the window needs them), and their output streams. */
  | { kind: "jobs"; taskDoc: DocumentId; limit: number }
  /** One job of a job log, and its output stream. */
  | { kind: "job"; doc: DocumentId; job: JobId }
  /** What is unread in every open session ({@link UnreadView}). */
  | { kind: "unread" };
