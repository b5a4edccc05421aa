import { DocType } from "../docs/DocType.js";
import type { DocHandle } from "@automerge/automerge-repo";
import { Counter } from "@automerge/automerge";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { jobLogDocId, monthOf } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import { type AgentId, derivedId, type DocumentId, type JobId, type MessageId, type ModelId, type RunId, type RunRequestId } from "../docs/ids.js";
import { type JobLogDoc, jobLogInitial, type JobRecord, JobStatus } from "../docs/JobLogDoc.js";
import { CLAIM_LEASE_MS, winningRun } from "../docs/messageView.js";
import { acceptActionBlocks } from "../docs/acceptActionBlocks.js";
import type { ActionBlockInput } from "../docs/ActionBlockInput.js";
import { type MessageRecord, Role, type RunRecord } from "../docs/MessageRecord.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { AgentInfo, ModelInfo, SkillEntry } from "../docs/RootDoc.js";
import { oneLine, SKILL_TEXT_MAX_CHARS, SKILLS_PUBLISHED } from "../docs/slashCommands.js";
import type { RunRequest, TaskDoc } from "../docs/TaskDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { taskRevision } from "../docs/workspaceViews.js";
import { type GatewayActor, nowOf } from "./Actor.js";
import { bumpThreadCount } from "./bumpThreadCount.js";
import { type MediaInput, mediaRefs } from "./newMessage.js";
import { ensureDoc, openDoc, openRoot } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { storedActionBlock } from "./storedActionBlock.js";
import { fitText } from "./textLimit.js";
import { tombstoneTask } from "./tombstoneTask.js";

type MessageDoc = PageDoc | ThreadDoc;

/** Which message a run works on. */
export interface RunTarget {
  /** The page or thread document of the person's message. */
  doc: DocumentId;
  message: MessageId;
  runId: RunId;
}

/**
 * Claims a person's message for a run of this gateway; true when the run may answer it.
 *
 * The rule, which every peer applies the same way:
 * - Claims are keyed by run id; the claim that counts is the non-superseded run of the message's
 *   current attempt with the lowest `(at, runId)` (`winningRun`). Two agents that claimed while
 *   apart therefore agree, once their changes merge, on one winner; the loser must stop (its
 *   `recordReply` then returns `lost`, and a reply it wrote before the merge stays hidden).
 * - Claiming again with the same run id is idempotent: true while that run is the winner.
 * - A message whose winning run finished (answered, error, interrupted) is not claimable until a
 *   retry starts a new attempt.
 * - A winning run still `received` whose lease ran out — no claim or renewal for `leaseMs`
 *   (default {@link CLAIM_LEASE_MS}) — is presumed dead: the new run marks every live run of the
 *   attempt superseded and claims. A run that is alive renews its claim (`renewClaim`) well
 *   within the lease.
 */
export async function claimMessage(store: DocStore, actor: GatewayActor, input: RunTarget, options: { leaseMs?: number } = {}): Promise<boolean> {
  const handle = await openMessageDoc(store, input.doc);
  const m = userMessage(handle, input.message);
  const mine = m.runs?.[input.runId];
  if (mine !== undefined) return str(winningRun(m)?.runId) === input.runId;
  const now = nowOf(actor);
  const attempt = m.attempt ?? 0;
  const winner = winningRun(m);
  const takeOver = winner !== undefined;
  if (winner !== undefined) {
    if (str(winner.status) !== "received") return false;
    if (now - Math.max(winner.at, winner.renewedAt ?? 0) < (options.leaseMs ?? CLAIM_LEASE_MS)) return false;
  }
  handle.change((d) => {
    const msg = d.messages[input.message]!;
    msg.runs ??= {};
    if (takeOver) {
      for (const run of Object.values(msg.runs)) {
        if (run.attempt === attempt && run.supersededBy === undefined) run.supersededBy = imm(input.runId);
      }
    }
    msg.runs[input.runId] = {
      runId: imm(input.runId),
      by: imm(actor.gateway),
      at: now,
      attempt,
      status: imm("received"),
    };
  });
  return true;
}

/** Extends a winning run's lease; false if the run is not the winner or has finished. */
export async function renewClaim(store: DocStore, actor: GatewayActor, input: RunTarget): Promise<boolean> {
  const handle = await openMessageDoc(store, input.doc);
  const m = userMessage(handle, input.message);
  const winner = winningRun(m);
  if (winner === undefined || str(winner.runId) !== input.runId || str(winner.status) !== "received") return false;
  const now = nowOf(actor);
  handle.change((d) => {
    d.messages[input.message]!.runs![input.runId]!.renewedAt = now;
  });
  return true;
}

/** Why a run could not record its outcome. */
export const RunRefusal = {
  /** The run never claimed the message. */
  notClaimed: "not-claimed",
  /** Another run won the claim, or took over. */
  lost: "lost",
  /** The run already ended otherwise (error or interrupted). */
  finished: "finished",
} as const;
export type RunRefusal = (typeof RunRefusal)[keyof typeof RunRefusal];

/** The outcome of {@link recordReply}. */
export type RecordReplyResult =
  { ok: true; reply: MessageId; /** False when this run's reply was already recorded. */ written: boolean } | { ok: false; reason: RunRefusal };

/** An agent's reply, as the backend produced it. */
export interface ReplyInput {
  text: string;
  model?: ModelId;
  reasoning?: string;
  tools?: readonly { name: string; summary: string }[];
  actions?: readonly ActionBlockInput[];
  media?: readonly MediaInput[];
}

export type { ActionBlockInput, OptionInput } from "../docs/ActionBlockInput.js";

/**
 * Records a run's final reply next to the person's message and marks the message answered.
 * Idempotent by run id: the reply's id is derived from the message and the run, so recording
 * twice (a restart, a retry of the write) never makes two replies. Only the winning run may
 * record; in a thread, the parent's reply count goes up. Action blocks that are not valid or
 * over the limits (`acceptActionBlocks`) are added to the text as plain text instead.
 */
export async function recordReply(store: DocStore, actor: GatewayActor, input: RunTarget & ReplyInput): Promise<RecordReplyResult> {
  const handle = await openMessageDoc(store, input.doc);
  const m = userMessage(handle, input.message);
  const reply = replyIdOf(input.message, input.runId);
  if (handle.doc().messages[reply] !== undefined) return { ok: true, reply, written: false };
  const refusal = refuse(m, input.runId);
  if (refusal !== undefined) return { ok: false, reason: refusal };
  const run = m.runs![input.runId]!;
  const now = nowOf(actor);
  const inPage = str(handle.doc().type) === DocType.page;
  const blocks = acceptActionBlocks(input.actions ?? []);
  const text = blocks.text === "" ? input.text : [input.text.trimEnd(), blocks.text].filter((t) => t !== "").join("\n\n");
  handle.change((d) => {
    const record: MessageRecord = {
      id: imm(reply),
      role: imm(Role.agent),
      text: imm(fitText(text)),
      // After the message it answers even when the gateway's clock is behind the device's.
      createdAt: Math.max(now, m.createdAt + 1),
      gateway: imm(actor.gateway),
      replyTo: imm(input.message),
      run: imm(input.runId),
      attempt: run.attempt,
    };
    if (inPage) {
      record.replies = new Counter(0);
      record.replyKeys = {};
    }
    if (input.model !== undefined) record.model = imm(input.model);
    if (input.reasoning !== undefined) record.reasoning = imm(fitText(input.reasoning));
    if (input.tools !== undefined && input.tools.length > 0) {
      record.tools = input.tools.map((t) => ({ name: imm(t.name), summary: imm(t.summary) }));
    }
    if (blocks.actions.length > 0) record.actions = blocks.actions.map(storedActionBlock);
    if (input.media !== undefined && input.media.length > 0) record.media = mediaRefs(input.media);
    d.messages[reply] = record;
    const r = d.messages[input.message]!.runs![input.runId]!;
    r.status = imm("answered");
    r.finishedAt = now;
  });
  // Racing runs of one attempt count once: only the winner's answer shows. The answers of a
  // message's versions show in one row, which its first answer counted already.
  const key = m.versionOf === undefined ? `${input.message}#${run.attempt}` : `${str(m.versionOf)}#0`;
  await bumpParent(store, handle, now, key);
  return { ok: true, reply, written: true };
}

/** The id of a run's reply to a message: the same wherever and however often it is computed. */
export function replyIdOf(message: MessageId, runId: RunId): MessageId {
  return derivedId<MessageId>("reply", message, runId);
}

/** Records that a run failed, with a reason the person sees (and may retry). True if recorded now or before. */
export async function recordError(store: DocStore, actor: GatewayActor, input: RunTarget & { reason: string }): Promise<boolean> {
  return endRun(store, actor, input, "error", input.reason);
}

/**
 * Marks a run interrupted: it stopped without a final reply (the agent was stopped or restarted
 * mid-reply), so the message shows a retry instead of spinning. True if marked now or before.
 */
export async function markInterrupted(store: DocStore, actor: GatewayActor, input: RunTarget & { reason?: string }): Promise<boolean> {
  return endRun(store, actor, input, "interrupted", input.reason);
}

async function endRun(store: DocStore, actor: GatewayActor, input: RunTarget, status: "error" | "interrupted", reason: string | undefined): Promise<boolean> {
  const handle = await openMessageDoc(store, input.doc);
  const run = userMessage(handle, input.message).runs?.[input.runId];
  if (run === undefined) return false;
  if (str(run.status) === status) return true;
  if (str(run.status) !== "received") return false;
  const now = nowOf(actor);
  handle.change((d) => {
    const r = d.messages[input.message]!.runs![input.runId]!;
    r.status = imm(status);
    r.finishedAt = now;
    if (reason !== undefined) r.error = imm(reason);
  });
  return true;
}

/** What a gateway publishes about itself. */
export interface GatewayInfo {
  name: string;
  agents: readonly { id: AgentId; name: string }[];
  models: readonly { id: ModelId; name?: string }[];
  defaultModel?: ModelId;
  /** What `/skills` lists; the first {@link SKILLS_PUBLISHED} are published, each cut to one line. */
  skills?: readonly { name: string; description: string }[];
  /** The id of the pairing token it connects with, when known. */
  token?: string;
}

/**
 * Publishes a gateway's name, agents, models and skills into the root, and its last-seen time.
 * Lists are rewritten only when they changed, so reconnecting adds little to the root's history.
 */
export async function publishGateway(store: DocStore, actor: GatewayActor, info: GatewayInfo): Promise<void> {
  const root = await openRoot(store);
  const now = nowOf(actor);
  const agents: AgentInfo[] = info.agents.map((a) => ({ id: imm(a.id), name: imm(a.name) }));
  const models: ModelInfo[] = info.models.map((m) => (m.name === undefined ? { id: imm(m.id) } : { id: imm(m.id), name: imm(m.name) }));
  const skills: SkillEntry[] = (info.skills ?? [])
    .filter((k) => k.name.trim() !== "")
    .slice(0, SKILLS_PUBLISHED)
    .map((k) => ({ name: imm(oneLine(k.name, SKILL_TEXT_MAX_CHARS)), description: imm(oneLine(k.description, SKILL_TEXT_MAX_CHARS)) }));
  // Keys sorted: a document reads its maps' keys in its own order, not in the order written.
  const sorted = (_: string, v: unknown): unknown =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a, sorted) === JSON.stringify(b, sorted);
  root.change((r) => {
    const g = r.gateways[actor.gateway];
    if (g === undefined) {
      r.gateways[actor.gateway] = { id: imm(actor.gateway), name: imm(info.name), agents, models, lastSeen: now };
      if (info.defaultModel !== undefined) r.gateways[actor.gateway]!.defaultModel = imm(info.defaultModel);
      if (skills.length > 0) r.gateways[actor.gateway]!.skills = skills;
      if (info.token !== undefined) r.gateways[actor.gateway]!.token = imm(info.token);
      return;
    }
    // Connected again (with a new token, after a revoke): offered again.
    if (g.retired !== undefined) delete g.retired;
    if (info.token !== undefined && str(g.token) !== info.token) g.token = imm(info.token);
    if (str(g.name) !== info.name) g.name = imm(info.name);
    if (!same(g.agents, agents)) g.agents = agents;
    if (!same(g.models, models)) g.models = models;
    if (skills.length === 0) {
      if (g.skills !== undefined) delete g.skills;
    } else if (!same(g.skills, skills)) {
      g.skills = skills;
    }
    if (str(g.defaultModel) !== info.defaultModel) {
      if (info.defaultModel === undefined) delete g.defaultModel;
      else g.defaultModel = imm(info.defaultModel);
    }
    g.lastSeen = now;
  });
}

/**
 * Records what the gateway applied to its scheduler for a task revision (or why it failed).
 * For a deleted task whose scheduled job is gone, this tombstones the task and its job logs
 * (and the channel document, if the channel was deleted and this was its last task).
 * Idempotent: the same state twice writes once.
 */
export async function recordTaskApplied(
  store: DocStore,
  actor: GatewayActor,
  input: { taskDoc: DocumentId; revision: number; cronJobId?: string; error?: string },
): Promise<void> {
  const handle = await openDoc<TaskDoc>(store, input.taskDoc, "task");
  const t = handle.doc();
  const a = t.applied;
  const now = nowOf(actor);
  const same =
    a !== undefined && a.revision === input.revision && str(a.cronJobId) === input.cronJobId && str(a.error) === input.error && str(a.by) === actor.gateway;
  if (!same) {
    handle.change((d) => {
      d.applied = { revision: input.revision, at: now, by: imm(actor.gateway) };
      if (input.cronJobId !== undefined) d.applied.cronJobId = imm(input.cronJobId);
      if (input.error !== undefined) d.applied.error = imm(input.error);
    });
  }
  if (t.deleted !== undefined && input.error === undefined && input.revision === taskRevision(t)) {
    const channel = await openDoc<ChannelDoc>(store, str(t.channelDoc), "channel");
    const root = await openRoot(store);
    const channelDeleted = root.doc().channels[str(t.channel)]?.deleted !== undefined;
    await tombstoneTask(store, channel, str(t.id), now, channelDeleted);
  }
}

/**
 * Marks a run-now request consumed by this gateway; true if this call consumed it, false if it
 * was consumed already (so a restart or a second instance does not run it again).
 */
export async function consumeRunRequest(
  store: DocStore,
  actor: GatewayActor,
  input: { taskDoc: DocumentId; request: RunRequestId; job?: JobId },
): Promise<boolean> {
  const handle = await openDoc<TaskDoc>(store, input.taskDoc, "task");
  const request = handle.doc().runRequests[input.request];
  if (request === undefined) throw new OpError(OpErrorCode.notFound, `no run request ${input.request}`);
  if (request.consumed !== undefined) return false;
  const now = nowOf(actor);
  handle.change((d) => {
    const consumed: NonNullable<RunRequest["consumed"]> = { by: imm(actor.gateway), at: now };
    if (input.job !== undefined) consumed.job = imm(input.job);
    d.runRequests[input.request]!.consumed = consumed;
  });
  return true;
}

/** Where a job was recorded. */
export interface StartedJob {
  /** The job log document (the month of `startedAt`). */
  doc: DocumentId;
  job: JobId;
  /** False when the job had been started before (this call changed nothing). */
  started: boolean;
}

/**
 * Starts a job of a task in the job log of its month (a derived document), listing that month on
 * the channel's task entry. Idempotent by job id.
 */
export async function startJob(
  store: DocStore,
  actor: GatewayActor,
  input: {
    taskDoc: DocumentId;
    job: JobId;
    startedAt?: number;
    model?: ModelId;
    session?: DocumentId;
    request?: RunRequestId;
    /** The gateway process running it (for `renewJob` and `findOpenJobs`). */
    instance?: string;
  },
): Promise<StartedJob> {
  const startedAt = input.startedAt ?? nowOf(actor);
  const { doc: docId, log } = await openJobLog(store, input.taskDoc, monthOf(startedAt));
  if (log.doc().jobs[input.job] !== undefined) return { doc: docId, job: input.job, started: false };
  log.change((d) => {
    const job: JobRecord = { id: imm(input.job), status: imm(JobStatus.running), by: imm(actor.gateway), startedAt };
    if (input.instance !== undefined) job.instance = imm(input.instance);
    if (input.model !== undefined) job.model = imm(input.model);
    if (input.session !== undefined) job.session = imm(input.session);
    if (input.request !== undefined) job.request = imm(input.request);
    d.jobs[input.job] = job;
  });
  return { doc: docId, job: input.job, started: true };
}

/**
 * The job log of a task for a month (a derived document, created if absent), listed on the
 * channel's task entry.
 */
export async function openJobLog(store: DocStore, taskDoc: DocumentId, month: string): Promise<{ doc: DocumentId; log: DocHandle<JobLogDoc> }> {
  const task = (await openDoc<TaskDoc>(store, taskDoc, "task")).doc();
  const taskId = str(task.id);
  const docId = jobLogDocId(taskId, month);
  const log = await ensureDoc<JobLogDoc>(store, docId, "jobs", () => jobLogInitial(taskId, month));
  const channel = await openDoc<ChannelDoc>(store, str(task.channelDoc), "channel");
  if (channel.doc().tasks[taskId]?.jobLogs[month] === undefined) {
    channel.change((c) => {
      const entry = c.tasks[taskId];
      if (entry !== undefined) entry.jobLogs[month] = imm(docId);
    });
  }
  return { doc: docId, log };
}

/**
 * Finishes a running job with its outcome; false if it is not running (finished before, so
 * finishing twice changes nothing).
 */
export async function finishJob(
  store: DocStore,
  actor: GatewayActor,
  input: {
    doc: DocumentId;
    job: JobId;
    status: "ok" | "error" | "skipped";
    finishedAt?: number;
    summary?: string;
    output?: string;
    error?: string;
    model?: ModelId;
    session?: DocumentId;
  },
): Promise<boolean> {
  const log = await openDoc<JobLogDoc>(store, input.doc, "jobs");
  const job = log.doc().jobs[input.job];
  if (job === undefined) throw new OpError(OpErrorCode.notFound, `no job ${input.job}`);
  if (str(job.status) !== JobStatus.running) return false;
  const finishedAt = input.finishedAt ?? nowOf(actor);
  log.change((d) => {
    const j = d.jobs[input.job]!;
    j.status = imm(input.status);
    j.finishedAt = finishedAt;
    j.durationMs = Math.max(0, finishedAt - j.startedAt);
    if (input.summary !== undefined) j.summary = imm(input.summary);
    if (input.output !== undefined) j.output = imm(fitText(input.output));
    if (input.error !== undefined) j.error = imm(input.error);
    if (input.model !== undefined) j.model = imm(input.model);
    if (input.session !== undefined) j.session = imm(input.session);
  });
  return true;
}

async function openMessageDoc(store: DocStore, id: DocumentId): Promise<DocHandle<MessageDoc>> {
  return openDoc<MessageDoc>(store, id, [DocType.page, DocType.thread]);
}

function userMessage(handle: DocHandle<MessageDoc>, id: MessageId): MessageRecord {
  const m = handle.doc().messages[id];
  if (m === undefined) throw new OpError(OpErrorCode.notFound, `no message ${id}`);
  if (str(m.role) !== Role.user) throw new OpError(OpErrorCode.invalid, `message ${id} is not a person's message`);
  return m;
}

function refuse(m: MessageRecord, runId: RunId): RunRefusal | undefined {
  const run: RunRecord | undefined = m.runs?.[runId];
  if (run === undefined) return RunRefusal.notClaimed;
  if (run.supersededBy !== undefined || str(winningRun(m, run.attempt)?.runId) !== runId) return RunRefusal.lost;
  if (str(run.status) !== "received") return RunRefusal.finished;
  return undefined;
}

/** In a thread, the parent message's reply count goes up with each reply. */
async function bumpParent(store: DocStore, handle: DocHandle<MessageDoc>, at: number, key: string): Promise<void> {
  const d = handle.doc();
  if (str(d.type) !== "thread") return;
  const parent = (d as ThreadDoc).parent;
  try {
    const page = await openDoc<PageDoc>(store, str(parent.doc), DocType.page);
    bumpThreadCount(page, str(parent.message), handle.documentId, at, key);
  } catch {
    // The parent page is gone (its session was deleted): nothing to count on.
  }
}
