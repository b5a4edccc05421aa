export type { PeerStorage, SyncTx, SyncSnapshot, DocSyncState, OutboxEntry } from "./storage/PeerStorage.js";
export { MemoryPeerStorage } from "./storage/MemoryPeerStorage.js";
export { PeerStorageAdapter } from "./storage/PeerStorageAdapter.js";

// ---------------------------------------------------------------- Documents (src/docs)
// The workspace as Automerge documents: types, ids, deterministic creation, migrations, views.
export type {
  DocumentId,
  DeviceId,
  BlobHash,
  ChannelId,
  SessionId,
  MessageId,
  TaskId,
  JobId,
  RunId,
  RunRequestId,
  GatewayId,
  AgentId,
  ModelId,
} from "./docs/ids.js";
export { parseId, randomId, derivedId } from "./docs/ids.js";
export { taskSessionId } from "./docs/taskSessionId.js";
export { type Imm, imm, str, type Plain, toPlain } from "./docs/Imm.js";
export { DocType, SCHEMA_VERSION, type DocHeader } from "./docs/DocType.js";
export {
  type RootDoc,
  type ChannelEntry,
  type GatewayEntry,
  type GuideState,
  type GuideToken,
  type AgentInfo,
  type ModelInfo,
  type SkillEntry,
  type CommandUse,
  type Settings,
  rootInitial,
} from "./docs/RootDoc.js";
export { commandUseOf, byUse, type CommandUseView } from "./docs/commandUse.js";
export {
  type SlashCommand,
  SLASH_COMMANDS,
  usageOf,
  commandOf,
  COMMANDS_COUNTED,
  COMMAND_MAX_CHARS,
  SKILLS_PUBLISHED,
  SKILL_TEXT_MAX_CHARS,
} from "./docs/slashCommands.js";
export { type ChannelDoc, type SessionEntry, type TaskEntry, channelInitial } from "./docs/ChannelDoc.js";
export { type PageDoc, PAGE_SIZE, pageInitial } from "./docs/PageDoc.js";
export { type ThreadDoc, threadInitial } from "./docs/ThreadDoc.js";
export { type BlobsDoc, blobsInitial } from "./docs/BlobsDoc.js";
export {
  type MessageRecord,
  type RunRecord,
  type RunStatus,
  type MediaRef,
  type ActionBlock,
  type ActionOption,
  type ChosenAction,
  type ActionAnswer,
  type RadioOption,
  type ActionCard,
  type FormField,
  type ToolSummary,
  Role,
  MessageStatus,
  MESSAGE_STATUS_NEXT,
  ActionKind,
  FormFieldType,
} from "./docs/MessageRecord.js";
// Action blocks' checks, answers and limits (also `@botschat/model/actions`, without Automerge).
export * from "./actions.js";
export { acceptActionBlocks, MESSAGE_BLOCKS_MAX_CHARS, type AcceptedBlocks } from "./docs/acceptActionBlocks.js";
export { type TaskDoc, type TaskFields, type AppliedState, type RunRequest, taskInitial } from "./docs/TaskDoc.js";
export { type JobLogDoc, type JobRecord, type JobClaim, JobStatus, jobLogInitial } from "./docs/JobLogDoc.js";
export { parseSchedule, type Schedule, type ParseScheduleResult } from "./docs/parseSchedule.js";
export { validTimezone } from "./docs/validTimezone.js";
// Words and next runs of a schedule are for people: `@botschat/model/schedule` (cronstrue stays out of the agents).
export { nextEveryTick } from "./docs/nextEveryTick.js";
export { cronPatternOf } from "./docs/cronPatternOf.js";
export { deriveDocumentId, ROOT_DOC_ID, BLOBS_DOC_ID, threadDocId, pageDocId, jobLogDocId, monthOf } from "./docs/deriveDocumentId.js";
export { deterministicDoc, initialChange, DETERMINISTIC_ACTOR } from "./docs/deterministicDoc.js";
export { migrate, migrateHandle, checkSchema, MIGRATIONS, SchemaCheck, type MigrationStep, type MigrationRegistry } from "./docs/migrate.js";
export type { DocStore } from "./docs/DocStore.js";
export { MemoryDocStore } from "./docs/MemoryDocStore.js";
export {
  CLAIM_LEASE_MS,
  winningRun,
  messageStatus,
  isLosingReply,
  messageView,
  sortedMessages,
  sessionMessages,
  type MessageView,
  type ClaimView,
} from "./docs/messageView.js";
export { VersionKind, versionKindOf, versionRecords, currentVersion, foldVersions, type MessageVersion } from "./docs/messageVersions.js";
export { readPositionOf, readUpToOf, newestPositionOf, unreadOf, type SessionUnread, type MessagePage } from "./docs/readState.js";
export {
  channelsOf,
  gatewaysOf,
  sessionsOf,
  pagesOf,
  tasksOf,
  taskView,
  taskRevision,
  latestJobs,
  type ChannelView,
  type GatewayView,
  type SessionView,
  type TaskEntryView,
  type TaskView,
  type JobView,
} from "./docs/workspaceViews.js";

// ---------------------------------------------------------------- Operations (src/ops)
// The only way apps change documents: plain async functions over a DocStore and an actor.
export { type DeviceActor, type GatewayActor } from "./ops/Actor.js";
export { OpError, OpErrorCode } from "./ops/OpError.js";
export { TEXT_MAX_BYTES } from "./ops/textLimit.js";
export { openDoc, ensureDoc, openRoot } from "./ops/openDoc.js";
export { createChannel, renameChannel, archiveChannel, deleteChannel, type CreatedChannel } from "./ops/channelOps.js";
export { retireGateways } from "./ops/gatewayOps.js";
export { jobIdOf, runIdForRequest, requestOfRun, RUN_NOW } from "./ops/jobIds.js";
export { createSession, renameSession, archiveSession, setSessionModel, deleteSession, type CreatedSession } from "./ops/sessionOps.js";
export { markSessionRead } from "./ops/readOps.js";
export { sendMessage, postMessage, replyInThread, chooseAction, retryMessage, type SentMessage, type ChooseResult, type MessageDoc } from "./ops/messageOps.js";
export type { MediaInput } from "./ops/newMessage.js";
export { regenerateReply, editMessage, type WrittenVersion } from "./ops/versionOps.js";
export { updateSettings, defaultModelsOf, chosenModelOf, MODEL_ID_MAX_CHARS } from "./ops/settingsOps.js";
// The default model a gateway answers with (also `@botschat/model/models`, without Automerge).
export * from "./models.js";
export { noteCommandUse } from "./ops/commandOps.js";
export { updateGuide, guideOf, GUIDE_AGENTS, type GuideAgent, type GuideView } from "./ops/guideOps.js";
export { createTask, editTask, setTaskEnabled, deleteTask, requestRun, type CreatedTask, type NewTask, type TaskChanges } from "./ops/taskOps.js";
export {
  claimMessage,
  renewClaim,
  recordReply,
  replyIdOf,
  recordError,
  markInterrupted,
  publishGateway,
  recordTaskApplied,
  consumeRunRequest,
  startJob,
  finishJob,
  RunRefusal,
  type RunTarget,
  type RecordReplyResult,
  type ReplyInput,
  type ActionBlockInput,
  type OptionInput,
  type GatewayInfo,
  type StartedJob,
} from "./ops/agentOps.js";
export {
  claimable,
  findPendingMessages,
  findTasksToApply,
  findRunRequests,
  findOpenRuns,
  findOpenJobs,
  type OpenJob,
  type FindWorkOptions,
  type WorkPlace,
  type PendingMessage,
  type TaskToApply,
  type PendingRunRequest,
  type OpenRun,
} from "./ops/findWork.js";
export { findWorkIn, type WorkInDocs } from "./ops/findWorkIn.js";
export { CLAIM_CONFIRM_MS, claimJob, renewJob } from "./ops/jobClaims.js";
export { queueBlobDeletions, queuedBlobDeletions, deleteQueuedBlobs, type BlobRemover, type BlobDeletionPass } from "./ops/blobDeletionOps.js";
export { liveBlobHashes } from "./ops/liveBlobHashes.js";

// Eph frames: one vocabulary for the agent that writes them and the devices that read them
export {
  EphType,
  STOPPED_REASON,
  readEphFrame,
  type EphFrame,
  type AgentStreamFrame,
  type AgentStopFrame,
  type JobStreamFrame,
  type StreamSyncFrame,
  type ToolFrame,
} from "./eph/ephFrames.js";
export { foldAgentStream, foldJobStream, type AgentStreamState, type JobStreamState } from "./eph/foldStreams.js";
export { EphStreamer, type SendEph, type StreamHead, type StreamFields } from "./eph/EphStreamer.js";
export { KeyframeAsks, KEYFRAME_ASK_EVERY_MS } from "./eph/KeyframeAsks.js";

// The sync engine
export { SyncEngine, type SyncEngineOptions, type EphEvent, type RemoteInfo } from "./sync/SyncEngine.js";
export { ConnectionState, LockReason, type SyncStatus } from "./sync/ConnectionState.js";
export { LogCategory, type SyncLogEntry } from "./sync/SyncLog.js";
export { Backoff } from "./sync/Backoff.js";
export { BlobDeleter, type BlobDeleterOptions } from "./sync/BlobDeleter.js";
export { messageBytes, type SocketLike, type SocketFactory } from "./sync/SocketLike.js";
