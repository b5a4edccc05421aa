import type { AgentId, ChannelId, DocumentId, GatewayId, GuideAgent, MediaInput, MessageId, ModelId, SessionId, TaskId } from "@botschat/model";
import type { EngineStatus, GlobalUpdate, WatchTarget, WatchUpdate } from "./views.js";

/** What a tab needs to open this device's copy of an account's workspace. */
export interface OpenInput {
  userId: string;
  token: string;
  /** `http(s)://host:port` of the relay (the page's origin when the relay serves the app). */
  relayUrl: string;
  /** Shown to the user's other devices in `peers`. */
  label: string;
  /** Documents the first screen shows (the last channel and session): loaded while the engine opens. */
  prefetch?: string[];
}

/** The outcome of an operation: results, not exceptions, at the worker edge. */
export type OpResult<T = void> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A blob's decrypted bytes, or why not; `gone` when the relay no longer has it (deleted with the
 * last message that referred to it, docs/decisions/009-deleting-blobs.md).
 */
export type BlobDownload = OpResult<Uint8Array> | { ok: false; message: string; gone: true };

/**
 * The worker's surface, called by every tab through comlink. Ops run next to the engine, so the
 * UI thread never touches Automerge or keys; views come back as plain data through callbacks.
 */
export interface WorkspaceApi {
  /** Registers a tab; its updates stop with {@link WorkspaceApi.goodbye}. */
  hello(onGlobal: (u: GlobalUpdate) => void): Promise<number>;
  goodbye(client: number): Promise<void>;
  /** Opens (or joins, from another tab) the engine of this account; documents are readable at once. */
  open(input: OpenInput): Promise<EngineStatus>;
  /** Unlocks with a passphrase; `remember` keeps it on this device (encrypted with a non-extractable key). */
  unlock(passphrase: string, remember: boolean): Promise<EngineStatus>;
  /** Unlocks with the passphrase remembered on this device, if any. */
  unlockRemembered(): Promise<EngineStatus>;
  /** Forgets the keys (and a remembered passphrase); local documents stay. */
  lock(): Promise<EngineStatus>;
  /**
   * Signs `userId` out of this device: stops its engine (once an open under way has finished) and
   * forgets its remembered passphrase; with `wipe`, deletes its local copy and keys too.
   */
  signOut(userId: string, wipe: boolean): Promise<void>;
  reconnectNow(): Promise<void>;
  /**
   * What a tab's `navigator.onLine` says. While a tab reports the network gone, the engine stays
   * offline (no socket is opened) until a tab reports it back, then reconnects at once.
   */
  setOnline(client: number, online: boolean): Promise<void>;
  watch(client: number, target: WatchTarget, onUpdate: (u: WatchUpdate) => void): Promise<number>;
  unwatch(watch: number): Promise<void>;

  createChannel(input: { name: string; gateway: GatewayId; agentId: AgentId }): Promise<OpResult<{ channel: ChannelId; doc: DocumentId }>>;
  renameChannel(input: { channel: ChannelId; name: string }): Promise<OpResult>;
  /** After a pairing token was revoked: its gateways are no longer offered for new channels. */
  retireGateways(input: { token: string }): Promise<OpResult>;
  archiveChannel(input: { channel: ChannelId; archived: boolean }): Promise<OpResult>;
  deleteChannel(input: { channel: ChannelId }): Promise<OpResult>;
  createSession(input: { channelDoc: DocumentId; title: string }): Promise<OpResult<{ session: SessionId }>>;
  renameSession(input: { channelDoc: DocumentId; session: SessionId; title: string }): Promise<OpResult>;
  deleteSession(input: { channelDoc: DocumentId; session: SessionId }): Promise<OpResult>;
  /** Closes a session's tab (archived) or brings it back; its messages stay. */
  archiveSession(input: { channelDoc: DocumentId; session: SessionId; archived: boolean }): Promise<OpResult>;
  setSessionModel(input: { channelDoc: DocumentId; session: SessionId; model: ModelId | null }): Promise<OpResult>;
  /** Chooses a gateway's default model for the whole workspace (`null`: the gateway's own). */
  setDefaultModel(input: { gateway: GatewayId; model: ModelId | null }): Promise<OpResult>;
  /**
   * Moves the first-run guide on (`updateGuide`): answers `recorded: false` when the guide already
   * had its pairing token, which then stays the guide's one.
   */
  updateGuide(input: {
    token?: { id: string; secret: string; name: string };
    forgetSecret?: boolean;
    agent?: GuideAgent;
    finished?: boolean;
  }): Promise<OpResult<{ recorded: boolean }>>;
  /** Marks a session read up to its newest message, on every device of the person (nothing is written when it already is). */
  markRead(input: { channelDoc: DocumentId; session: SessionId }): Promise<OpResult>;
  sendMessage(input: {
    channelDoc: DocumentId;
    session: SessionId;
    text: string;
    replyTo?: MessageId;
    media?: MediaInput[];
  }): Promise<OpResult<{ doc: DocumentId; message: MessageId }>>;
  replyInThread(input: {
    pageDoc: DocumentId;
    message: MessageId;
    text: string;
    media?: MediaInput[];
  }): Promise<OpResult<{ doc: DocumentId; message: MessageId }>>;
  chooseAction(input: { doc: DocumentId; message: MessageId; block: string; value: string; label?: string }): Promise<OpResult>;
  retryMessage(input: { doc: DocumentId; message: MessageId }): Promise<OpResult>;
  /** Asks for another answer to the person's message `message` answers (or to `message` itself), maybe from another model; earlier answers stay. */
  regenerateReply(input: { doc: DocumentId; message: MessageId; model?: ModelId }): Promise<OpResult<{ message: MessageId }>>;
  /** Edits a person's message: a new version the agent answers; the earlier one stays. */
  editMessage(input: { doc: DocumentId; message: MessageId; text: string }): Promise<OpResult<{ message: MessageId }>>;
  /** Asks the agent answering `message` to stop (an eph frame; the final state comes from the document). */
  stopReply(input: { doc: DocumentId; message: MessageId; run: string }): Promise<OpResult>;
  /** Creates a background task in a channel (its gateway schedules it when it sees it). */
  createTask(input: {
    channelDoc: DocumentId;
    name: string;
    schedule: string;
    timezone: string;
    prompt: string;
    model?: ModelId;
    enabled?: boolean;
  }): Promise<OpResult<{ task: TaskId; doc: DocumentId }>>;
  /**
   * Saves what a person changed on a task page: only the fields given change. `base` is the task
   * document's heads the person started from: the prompt's edits merge with what other devices
   * changed since, as collaborative text does. Answers whether anything changed.
   */
  editTask(input: {
    taskDoc: DocumentId;
    name?: string;
    schedule?: string;
    timezone?: string;
    prompt?: string;
    model?: ModelId | null;
    base?: string[];
  }): Promise<OpResult<boolean>>;
  /** Pauses or resumes a task at once. */
  setTaskEnabled(input: { taskDoc: DocumentId; enabled: boolean }): Promise<OpResult<boolean>>;
  /** Asks the task's gateway to run it once now. */
  runTaskNow(input: { taskDoc: DocumentId }): Promise<OpResult>;
  /** Deletes a task on every device (its gateway unschedules it). */
  deleteTask(input: { taskDoc: DocumentId }): Promise<OpResult>;
  /** Encrypts and uploads a file ([K7]); answers what a message needs to reference it. */
  uploadBlob(input: { name: string; mime: string; bytes: Uint8Array }): Promise<OpResult<MediaInput>>;
  /** Downloads and decrypts a blob. */
  downloadBlob(input: { hash: string; key: string }): Promise<BlobDownload>;
}
