import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import {
  archiveSession,
  BlobDeleter,
  CLAIM_CONFIRM_MS,
  claimJob,
  claimMessage,
  ConnectionState,
  consumeRunRequest,
  createSession,
  derivedId,
  taskSessionId,
  findOpenJobs,
  findOpenRuns,
  findPendingMessages,
  findRunRequests,
  findWorkIn,
  finishJob,
  LockReason,
  markInterrupted,
  openRoot,
  postMessage,
  publishGateway,
  randomId,
  recordError,
  recordReply,
  recordTaskApplied,
  renewClaim,
  renewJob,
  setSessionModel,
  startJob,
  str,
  SyncEngine,
  taskRevision,
  winningRun,
  type AgentId,
  type ChannelDoc,
  type DeviceId,
  type DocumentId,
  type GatewayActor,
  type GatewayId,
  type JobId,
  type JobLogDoc,
  type MessageDoc,
  type MessageId,
  type MessageRecord,
  type ModelId,
  type PeerStorage,
  type PendingMessage,
  type RunId,
  type RunRequestId,
  type SocketFactory,
  type SocketLike,
  type SyncEngineOptions,
  type SyncLogEntry,
  type SyncStatus,
  type TaskDoc,
  type TaskId,
  EphStreamer,
  EphType,
  readEphFrame,
  STOPPED_REASON,
  type AgentStreamFrame,
  type JobStreamFrame,
} from "@botschat/model";
import type { AgentBackend, AgentRequest, AgentResult, ModelChoice } from "./AgentBackend.js";
import type { ScheduledTask, Scheduler, SchedulerRunEvent } from "./Scheduler.js";
import { slashCommand } from "./slashCommand.js";

/** What an {@link AgentPeer} needs. */
export interface AgentPeerOptions {
  /** The relay's base URL, `http(s)://host:port`. */
  relayUrl: string;
  /** A pairing token (`bc_pat_…`). */
  token: string;
  passphrase: string;
  /** Where the documents live (a `FilePeerStorage` in the agent's data directory); closed by `stop`. */
  storage: PeerStorage;
  /** This gateway's id in the workspace; channels bound to it are answered here. */
  gateway: GatewayId;
  /**
   * Prefix of this peer's run ids, unique to its data directory (whose storage lock keeps one
   * process on it): runs with this prefix still open at start were cut off by a crash of this
   * very peer, and are marked interrupted at once.
   */
  instance: string;
  /** The gateway's display name. */
  name: string;
  backend: AgentBackend;
  /** Runs background tasks; without one, tasks of this gateway's channels are left alone. */
  scheduler?: Scheduler;
  /** Opens a WebSocket; default: the `ws` package. */
  socket?: SocketFactory;
  /** Extra sync engine options (tests lower the vault cost and the debounce). */
  engine?: Partial<Omit<SyncEngineOptions, "relayUrl" | "token" | "storage" | "socket">>;
  /** Only these agents' channels are served; default: every agent the backend lists. */
  agents?: readonly AgentId[];
  /** How often a working run renews its claim and open runs are swept. Default 60 s. */
  renewEveryMs?: number;
  /**
   * Runs of this gateway by another instance (another data directory) that said nothing for this
   * long are presumed dead and marked interrupted. Default 3 × `renewEveryMs`.
   */
  quietMs?: number;
  /** At most one stream frame per run this often. Default 30 ms. */
  streamEveryMs?: number;
  /** How long a fresh claim waits for the relay to place it before this instance decides alone. Default 2 s. */
  claimConfirmMs?: number;
}

/**
 * What the peer is doing, for a terminal or a log ({@link describeActivity} words it). Carries
 * channel, session and task names but never message text.
 */
export type PeerActivity =
  | { type: "published"; agents: number; models: number }
  /** `where`: "channel › session", with " › thread" for a thread reply. */
  | { type: "answering"; conversation: string; message: string; run: string; where: string; model?: string }
  | { type: "answered"; message: string; run: string; model: string; ms: number }
  | { type: "failed"; message: string; run: string; reason: string }
  | { type: "lost"; message: string; run: string }
  | { type: "interrupted"; message: string; run: string }
  | { type: "task-applied"; task: string; revision: number; error?: string; name: string; schedule: string; state: "scheduled" | "paused" | "removed" }
  | { type: "job-started"; task: string; job: string; name: string; trigger: JobTrigger }
  /** `interrupted`: a run nobody was running any more (cut off by a crash), finished as an error by the sweep. */
  | { type: "job-finished"; task: string; job: string; status: string; name: string; trigger: JobTrigger; ms: number; interrupted?: boolean }
  | { type: "problem"; what: string };

/** What started a job: its schedule, or a person's "Run now". */
export type JobTrigger = "scheduled" | "run-now";

/** Why the peer cannot work until someone acts (wrong passphrase, revoked token…). */
export const PeerFailure = {
  wrongPassphrase: "wrong-passphrase",
  noVault: "no-vault",
  badVault: "bad-vault",
  /** The relay refused the token (revoked, or unknown) or another connection took it over. */
  refused: "refused",
} as const;
export type PeerFailure = (typeof PeerFailure)[keyof typeof PeerFailure];

interface PeerEvents {
  status: [SyncStatus];
  log: [SyncLogEntry];
  activity: [PeerActivity];
  /** The peer stopped working for good: see {@link PeerFailure}; `message` is for people. */
  failed: [{ reason: PeerFailure; message: string }];
}

/** How a run-now run's id starts (the request's id follows). */
const RUN_NOW = "now:";

/** A job this peer records from a scheduler run. */
interface RecordedJob {
  doc: DocumentId;
  job: JobId;
  task: TaskId;
  startedAt: number;
  name: string;
  trigger: JobTrigger;
  stream: EphStreamer<Pick<JobStreamFrame, "type" | "job">>;
  /** Whether this instance's record of the job is the one that stands. */
  winning: () => boolean;
}

interface ActiveRun {
  runId: RunId;
  doc: DocumentId;
  message: PendingMessage["message"];
  abort: AbortController;
}

/**
 * The agent side of a workspace, shared by the OpenClaw plugin and the demo agent: a sync peer
 * that answers the person's messages through an {@link AgentBackend} and runs their background
 * tasks through a {@link Scheduler}.
 *
 * - On every connection it publishes its gateway (name, agents, models, default model).
 * - On start and on every remote change it looks for work: unanswered messages in channels bound
 *   to its agents, task revisions not applied, run-now requests not consumed.
 * - Each message is claimed (`claimMessage`), its reply streamed as `agent-stream` eph frames
 *   (`{run, seq, message, text, reasoning?, tool?, done?}`, cumulative) and committed once with
 *   `recordReply`; failures become `recordError`. One dispatch per message per process; the
 *   claim rules make a restart or a second instance safe.
 * - Runs this peer left open in a crash are marked interrupted when it starts again.
 * - Sessions, threads and tasks each have their own backend conversation; a thread's request
 *   carries the parent message; an action choice arrives as `answer`.
 * - `/help`, `/skills` and `/model [id]` the person typed are answered here (see {@link slashCommand});
 *   an action answer is never one, even if the agent labelled a button `/model …`.
 *
 * @example
 * const peer = new AgentPeer({ relayUrl, token, passphrase, storage, gateway, instance, name, backend });
 * peer.on("failed", (f) => console.error(f.message));
 * await peer.start();
 */
export class AgentPeer extends EventEmitter<PeerEvents> {
  /** The sync engine (for tests and for the CLI's status lines). */
  readonly engine: SyncEngine;
  /** Deletes at the relay the blobs the person's devices queued for deletion, whenever live. */
  private readonly blobs: BlobDeleter;
  private readonly actor: GatewayActor;
  private readonly renewEveryMs: number;
  private readonly quietMs: number;
  private models: readonly ModelChoice[] = [];
  private agents: AgentId[] = [];
  private defaultModel: ModelId | undefined;

  private readonly active = new Map<string, ActiveRun>();
  private readonly activeRunIds = new Set<RunId>();
  /** Replies being produced and job records being finished: `stop` waits for them. */
  private readonly running = new Set<Promise<void>>();
  private readonly appliedDefs = new Map<TaskId, { def: ScheduledTask; jobId: string }>();
  /** The task revision this process last gave its scheduler (or failed to). */
  private readonly appliedHere = new Map<TaskId, number>();
  /** Every live task was given to the scheduler once since the start. */
  private tasksReconciled = false;
  private readonly taskDocs = new Map<TaskId, DocumentId>();
  private readonly jobs = new Map<string, Promise<RecordedJob | undefined>>();
  /** Jobs the gate recorded for runs the scheduler is about to start (`task|runId`). */
  private readonly claimed = new Map<string, RecordedJob>();
  /** Jobs this process runs (claimed or started, not finished): the sweep leaves them alone. */
  private readonly activeJobs = new Set<JobId>();
  private readonly consuming = new Set<string>();
  private unsubscribeRuns: (() => void) | undefined;

  private wanted = false;
  private scanning: Promise<void> | undefined;
  private kickTimer: ReturnType<typeof setTimeout> | undefined;
  /** Documents other devices changed since the last scan: the next scan looks only at them. */
  private readonly changed = new Set<DocumentId>();
  /** The next scan reads the whole workspace (start, back online, now and then, a changed root). */
  private fullScanWanted = true;
  private readonly scans = { full: 0, incremental: 0 };
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private live = false;
  private stopped = false;
  private failure: string | undefined;

  constructor(private readonly opts: AgentPeerOptions) {
    super();
    this.actor = { gateway: opts.gateway };
    this.renewEveryMs = opts.renewEveryMs ?? 60_000;
    this.quietMs = opts.quietMs ?? 3 * this.renewEveryMs;
    this.engine = new SyncEngine({
      relayUrl: opts.relayUrl,
      token: opts.token,
      storage: opts.storage,
      socket: opts.socket ?? defaultSocket,
      label: opts.name.slice(0, 64),
      ...opts.engine,
    });
    this.engine.on("log", (e) => this.emit("log", e));
    this.blobs = new BlobDeleter(this.engine, {
      relayUrl: opts.relayUrl,
      token: opts.token,
      ...(opts.engine?.fetch === undefined ? {} : { fetch: opts.engine.fetch }),
      log: (e) => this.emit("log", e),
    });
    this.engine.on("status", (s) => this.onStatus(s));
    this.engine.on("eph", ({ doc, payload }) => this.onStop(doc, payload));
    this.engine.on("remote", (id, info) => {
      if (info?.deleted !== true) this.changed.add(id);
      this.kick();
    });
  }

  /**
   * Loads the local copy, connects and unlocks. Resolves once the engine runs (before the relay
   * answers); work starts when the peer is live. Watch `failed` for what stops it for good.
   */
  async start(): Promise<void> {
    await ready();
    const [agents, models] = await Promise.all([this.opts.backend.listAgents(), this.opts.backend.listModels()]);
    this.agents = this.opts.agents === undefined ? agents.map((a) => a.id) : [...this.opts.agents];
    this.models = models;
    this.defaultModel = (models.find((m) => m.default) ?? models[0])?.id;
    this.unsubscribeRuns = this.opts.scheduler?.onRun((e) => this.onRun(e));
    this.opts.scheduler?.setRunGate?.((run) => this.mayRun(run));
    await this.engine.start();
    this.sweepTimer = setInterval(() => {
      void this.renewJobs().catch((e: unknown) => this.problem("renewing jobs", e));
      void this.sweepOpenRuns().catch((e: unknown) => this.problem("sweeping open runs", e));
      // A claim whose lease ran out changes no document: only a full scan finds it.
      this.fullScanWanted = true;
      this.kick();
    }, this.renewEveryMs);
    void this.engine.unlock(this.opts.passphrase).catch((e: unknown) => this.problem("unlocking", e));
  }

  /**
   * Stops: runs in progress are aborted and marked interrupted, the scheduler is closed, queued
   * changes get a short chance to reach the relay, the engine stops and the storage is closed.
   */
  async stop(options: { flushMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.kickTimer);
    clearInterval(this.sweepTimer);
    for (const run of this.active.values()) run.abort.abort(new Error("The agent was stopped."));
    await Promise.allSettled([...this.running]);
    await this.scanning;
    // Closing the scheduler ends its runs; their `finished` events still become job records.
    await this.opts.scheduler?.close();
    this.unsubscribeRuns?.();
    await Promise.allSettled([...this.jobs.values(), ...this.running]);
    // Claimed by the gate, but the scheduler never started them (the task went away meanwhile).
    for (const j of this.claimed.values()) {
      await finishJob(this.engine, this.actor, { doc: j.doc, job: j.job, status: "error", error: "The run did not start." }).catch(() => undefined);
    }
    this.claimed.clear();
    await this.blobs.stop();
    if (this.live) await withTimeout(this.engine.whenIdle(), options.flushMs ?? 2000);
    await this.engine.stop();
    await this.opts.storage.close();
    await this.opts.backend.close?.();
  }

  /** This peer's gateway id. */
  get gateway(): GatewayId {
    return this.opts.gateway;
  }

  /** Runs of this peer in progress (message documents and ids). */
  activeRuns(): { doc: DocumentId; message: string; runId: RunId }[] {
    return [...this.active.values()].map(({ doc, message, runId }) => ({ doc, message, runId }));
  }

  // ---------------------------------------------------------------- connection

  private onStatus(s: SyncStatus): void {
    this.emit("status", s);
    const wasLive = this.live;
    this.live = s.state === ConnectionState.live;
    const failedBefore = this.failure;
    this.failure = s.state === ConnectionState.error ? "error" : s.state === ConnectionState.locked ? s.lock : undefined;
    if (this.failure === failedBefore) {
      // Said already (a status event repeats the state).
    } else if (s.state === ConnectionState.locked && s.lock !== undefined && s.lock !== LockReason.needsPassphrase) {
      const reason = s.lock === LockReason.wrongPassphrase ? PeerFailure.wrongPassphrase : s.lock === LockReason.noVault ? PeerFailure.noVault : PeerFailure.badVault;
      const message =
        reason === PeerFailure.wrongPassphrase
          ? "The passphrase does not open this workspace's vault."
          : reason === PeerFailure.noVault
            ? "This workspace has no vault yet: sign in on the web app once and set the passphrase there."
            : "The workspace's vault is damaged or from a newer version.";
      this.emit("failed", { reason, message });
    } else if (s.state === ConnectionState.error) {
      this.emit("failed", { reason: PeerFailure.refused, message: s.error ?? "The relay refused this agent." });
    }
    if (this.live && !wasLive && !this.stopped) void this.onLive().catch((e: unknown) => this.problem("starting work", e));
  }

  /** On every (re)connection: publish, then (once) recover and reconcile, then look for work. */
  private async onLive(): Promise<void> {
    await publishGateway(this.engine, this.actor, {
      name: this.opts.name,
      agents: (await this.opts.backend.listAgents()).filter((a) => this.agents.includes(a.id)),
      models: this.models.map((m) => (m.name === undefined ? { id: m.id } : { id: m.id, name: m.name })),
      ...(this.defaultModel === undefined ? {} : { defaultModel: this.defaultModel }),
    });
    this.emit("activity", { type: "published", agents: this.agents.length, models: this.models.length });
    await this.sweepOpenRuns();
    // Entries applied while offline or before anyone listened: read everything once.
    this.fullScanWanted = true;
    this.kick(0);
  }

  // ---------------------------------------------------------------- looking for work

  /** Asks for a scan of the workspace soon; bursts of remote changes become one scan. */
  private kick(delayMs = 10): void {
    this.wanted = true;
    if (this.kickTimer !== undefined || this.scanning !== undefined || this.stopped) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.scanning = this.scanLoop().finally(() => {
        this.scanning = undefined;
        // Work asked for while offline waits for `onLive`, which scans anyway.
        if (this.wanted && this.live && !this.stopped) this.kick();
      });
    }, delayMs);
  }

  private async scanLoop(): Promise<void> {
    while (this.wanted && this.live && !this.stopped) {
      this.wanted = false;
      try {
        await this.scanOnce();
      } catch (e) {
        this.problem("looking for work", e);
      }
    }
  }

  /** How many full and incremental scans for work this peer made (for tests and diagnostics). */
  scanCounts(): { full: number; incremental: number } {
    return { ...this.scans };
  }

  /**
   * One look for work: in the documents changed since the last look (`findWorkIn`), or in the
   * whole workspace when a full scan is due.
   */
  private async scanOnce(): Promise<void> {
    const work = { agents: this.agents };
    const ids = [...this.changed];
    this.changed.clear();
    if (!this.fullScanWanted) {
      const found = await findWorkIn(this.engine, this.opts.gateway, ids, work);
      if (!found.rescan) {
        this.scans.incremental += 1;
        for (const p of found.messages) this.dispatch(p);
        if (this.opts.scheduler === undefined) return;
        // Every instance applies every task to its own scheduler, so a task whose applied state
        // another instance recorded still needs applying here: look at the tasks themselves
        // (a handful of documents beside the pages and threads a full scan would read).
        await this.applyTasks();
        for (const r of found.runRequests) {
          if (this.stopped) return;
          await this.runRequest(r.taskDoc, r.request);
        }
        return;
      }
    }
    this.fullScanWanted = false;
    this.scans.full += 1;
    for (const p of await findPendingMessages(this.engine, this.opts.gateway, work)) this.dispatch(p);
    if (this.opts.scheduler === undefined) return;
    await this.applyTasks();
    for (const r of await findRunRequests(this.engine, this.opts.gateway, work)) {
      if (this.stopped) return;
      await this.runRequest(r.taskDoc, r.request);
    }
  }

  private async applyTasks(): Promise<void> {
    for (const taskDoc of await this.tasksToApply()) {
      if (this.stopped) return;
      await this.applyTask(taskDoc);
    }
    this.tasksReconciled = true;
  }

  // ---------------------------------------------------------------- answering

  /** A person's "Stop": aborts this process's run on that message (the named run, or any). */
  private onStop(doc: DocumentId, payload: Readonly<Record<string, unknown>>): void {
    const frame = readEphFrame(payload);
    if (frame?.type !== EphType.agentStop) return;
    const run = this.active.get(`${doc}|${frame.message}`);
    if (run === undefined || (frame.run !== undefined && frame.run !== run.runId)) return;
    run.abort.abort(new Error(STOPPED_REASON));
  }

  /** Starts one run for a pending message unless this process already works on it. */
  private dispatch(p: PendingMessage): void {
    const key = `${p.doc}|${p.message}`;
    if (this.active.has(key) || this.stopped) return;
    const run: ActiveRun = { runId: `${this.opts.instance}-${randomId()}` as RunId, doc: p.doc, message: p.message, abort: new AbortController() };
    // Registered before the first await, so neither a second scan nor the open-run sweep sees a gap.
    this.active.set(key, run);
    this.activeRunIds.add(run.runId);
    const done = this.answer(p, run)
      .catch((e: unknown) => this.problem("answering", e))
      .finally(() => {
        this.active.delete(key);
        this.activeRunIds.delete(run.runId);
        this.running.delete(done);
      });
    this.running.add(done);
  }

  private async answer(p: PendingMessage, run: ActiveRun): Promise<void> {
    const target = { doc: p.doc, message: p.message, runId: run.runId };
    if (!(await claimMessage(this.engine, this.actor, target))) return;
    const handle = await this.engine.find<MessageDoc>(p.doc);
    const winning = (): boolean => {
      const m = handle.doc().messages[p.message];
      return m !== undefined && str(winningRun(m)?.runId) === run.runId;
    };
    // Before any work is done: every claim the relay stored before this one is applied here.
    await withTimeout(this.engine.afterAck(p.doc, () => undefined), this.opts.claimConfirmMs ?? CLAIM_CONFIRM_MS);
    if (!winning()) {
      this.emit("activity", { type: "lost", message: p.message, run: run.runId });
      return;
    }
    const message = handle.doc().messages[p.message]!;
    const conversation = p.thread === undefined ? `session:${p.session}` : `thread:${p.doc}`;
    const started = Date.now();
    this.emit("activity", {
      type: "answering",
      conversation,
      message: p.message,
      run: run.runId,
      where: await this.whereOf(p),
      ...(p.model ?? this.defaultModel ? { model: p.model ?? this.defaultModel } : {}),
    });

    const stream = new EphStreamer(
      (doc, frame) => this.engine.sendEph(doc, frame),
      p.doc,
      { type: EphType.agentStream, run: run.runId, message: p.message },
      this.opts.streamEveryMs ?? 30,
    );
    const renew = setInterval(() => void renewClaim(this.engine, this.actor, target).catch(() => undefined), this.renewEveryMs);
    try {
      const result = await this.produce(p, message, conversation, run, stream, winning);
      if (result === undefined) return;
      const r = await recordReply(this.engine, this.actor, { ...target, ...result });
      stream.flush({ text: result.text, done: true });
      if (r.ok) this.emit("activity", { type: "answered", message: p.message, run: run.runId, model: result.model, ms: Date.now() - started });
      else this.emit("activity", { type: "lost", message: p.message, run: run.runId });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      stream.flush({ done: true, error: reason });
      if (run.abort.signal.aborted) {
        await markInterrupted(this.engine, this.actor, { ...target, reason });
        this.emit("activity", { type: "interrupted", message: p.message, run: run.runId });
      } else {
        await recordError(this.engine, this.actor, { ...target, reason });
        this.emit("activity", { type: "failed", message: p.message, run: run.runId, reason });
      }
    } finally {
      clearInterval(renew);
      stream.cancel();
    }
  }

  /** "channel › session" (› thread) of a pending message, for people reading the activity. */
  private async whereOf(p: PendingMessage): Promise<string> {
    const root = (await openRoot(this.engine)).doc();
    const channel = str(root.channels[p.channel]?.name) ?? "?";
    const session = str((await this.engine.find<ChannelDoc>(p.channelDoc)).doc().sessions[p.session]?.title) ?? "?";
    return `${channel} › ${session}${p.thread === undefined ? "" : " › thread"}`;
  }

  /** The reply: a slash command's, or the backend's streamed one. Undefined if the run lost its claim. */
  private async produce(
    p: PendingMessage,
    message: MessageRecord,
    conversation: string,
    run: ActiveRun,
    stream: EphStreamer<Pick<AgentStreamFrame, "type" | "run" | "message">>,
    winning: () => boolean,
  ): Promise<AgentResult | undefined> {
    const text = str(message.text);
    const model = p.model ?? this.defaultModel;
    // An action answer's text is the label the agent wrote, not the person's command.
    const command =
      message.answers === undefined
        ? await slashCommand(text, {
            backend: this.opts.backend,
            models: this.models,
            ...(model === undefined ? {} : { model }),
            setModel: (m) => this.setSessionModel(p, m),
          })
        : undefined;
    if (command !== undefined) return command;

    const request: AgentRequest = { conversation, agentId: p.agentId, text, signal: run.abort.signal };
    if (model !== undefined) request.model = model;
    if (p.thread !== undefined) {
      const page = await this.engine.find<MessageDoc>(p.thread.doc);
      const parent = page.doc().messages[p.thread.message];
      if (parent !== undefined) request.parent = { id: p.thread.message, role: str(parent.role), text: str(parent.text) };
    }
    if (message.answers !== undefined) {
      request.answer = { message: str(message.answers.message), block: str(message.answers.block), value: str(message.answers.value), label: text };
    }
    let final: AgentResult | undefined;
    for await (const ev of this.opts.backend.answer(request)) {
      if (!winning()) {
        run.abort.abort(new Error("Another agent took this message over."));
        this.emit("activity", { type: "lost", message: p.message, run: run.runId });
        return undefined;
      }
      if (ev.type === "text") stream.push({ text: ev.text });
      else if (ev.type === "reasoning") stream.push({ reasoning: ev.text });
      else if (ev.type === "tool") stream.push({ tool: { id: ev.id, name: ev.name, phase: ev.phase, ...(ev.summary ? { summary: ev.summary } : {}) } });
      else final = ev.result;
    }
    if (run.abort.signal.aborted) throw run.abort.signal.reason instanceof Error ? run.abort.signal.reason : new Error("aborted");
    if (final === undefined) throw new Error("The agent ended without a reply.");
    return final;
  }

  private async setSessionModel(p: PendingMessage, model: ModelId): Promise<void> {
    // The op takes a device actor but records no author: a gateway switching a session's model on
    // the person's `/model` command writes the same field the model selector does.
    await setSessionModel(this.engine, { device: this.opts.gateway as unknown as DeviceId }, { channelDoc: p.channelDoc, session: p.session, model });
  }

  /** Marks interrupted the runs of this gateway that no process is working on any more. */
  private async sweepOpenRuns(): Promise<void> {
    if (!this.live || this.stopped) return;
    const mine = `${this.opts.instance}-`;
    const work = { agents: this.agents };
    const own = (await findOpenRuns(this.engine, this.opts.gateway, this.activeRunIds, work)).filter((r) => r.runId.startsWith(mine));
    const others = (await findOpenRuns(this.engine, this.opts.gateway, this.activeRunIds, { ...work, quietMs: this.quietMs })).filter(
      (r) => !r.runId.startsWith(mine),
    );
    for (const r of [...own, ...others]) {
      if (this.activeRunIds.has(r.runId)) continue;
      const reason = "The agent stopped before it finished this reply.";
      if (await markInterrupted(this.engine, this.actor, { ...r, reason })) {
        this.emit("activity", { type: "interrupted", message: r.message, run: r.runId });
      }
    }
    if (this.opts.scheduler !== undefined) await this.sweepOpenJobs();
  }

  /**
   * Finishes as interrupted the running jobs nobody runs any more: this instance's own (or
   * unmarked) ones that this process does not run — its previous life's, cut off by a crash —
   * at once, another instance's only once they said nothing for `quietMs`. A live instance
   * renews its jobs (`renewJob`) every `renewEveryMs`, well within that.
   */
  private async sweepOpenJobs(): Promise<void> {
    const open = await findOpenJobs(this.engine, this.opts.gateway, { agents: this.agents });
    const now = Date.now();
    for (const j of open) {
      if (this.stopped) return;
      if (this.activeJobs.has(j.job)) continue;
      const own = j.instance === undefined || j.instance === this.opts.instance;
      if (!own && now - j.at < this.quietMs) continue;
      const error = own ? "interrupted: the agent stopped before this run finished" : "interrupted: the agent running it stopped answering";
      if (await finishJob(this.engine, this.actor, { doc: j.doc, job: j.job, status: "error", error })) {
        const name = this.appliedDefs.get(j.task)?.def.name ?? j.task;
        this.emit("activity", { type: "job-finished", task: j.task, job: j.job, status: "error", name, trigger: "scheduled", ms: 0, interrupted: true });
      }
    }
  }

  /** A sign of life for every job this process runs, so other instances leave them alone. */
  private async renewJobs(): Promise<void> {
    for (const started of [...this.jobs.values(), ...[...this.claimed.values()].map((j) => Promise.resolve(j))]) {
      const j = await started;
      if (j === undefined || this.stopped || !j.winning()) continue;
      await renewJob(this.engine, this.actor, { doc: j.doc, job: j.job, instance: this.opts.instance }).catch(() => false);
    }
  }

  // ---------------------------------------------------------------- tasks

  /**
   * The tasks of this gateway's channels whose current revision this process has not given its
   * own scheduler, or whose applied state in the document differs. With a scheduler that has a
   * run gate, every instance schedules every task (the claim per occurrence picks who runs a
   * tick), so a second instance takes over the moment the first stops. After a start every live
   * task is applied again (a demo scheduler forgets them on exit).
   */
  private async tasksToApply(): Promise<DocumentId[]> {
    const shared = this.opts.scheduler?.setRunGate !== undefined;
    const root = (await openRoot(this.engine)).doc();
    const out: DocumentId[] = [];
    for (const entry of Object.values(root.channels)) {
      if (str(entry.gateway) !== this.opts.gateway || !this.agents.includes(str(entry.agentId))) continue;
      const channel = await this.engine.find<ChannelDoc>(str(entry.doc)).catch(() => undefined);
      for (const e of Object.values(channel?.doc().tasks ?? {})) {
        if (e.purged !== undefined) continue;
        const t = (await this.engine.find<TaskDoc>(str(e.doc)).catch(() => undefined))?.doc();
        if (t === undefined) continue;
        const revision = taskRevision(t);
        const here = this.appliedHere.get(str(t.id));
        // A deleted task this process never scheduled only needs its removal recorded.
        const mine = t.deleted !== undefined && here === undefined ? revision : here;
        // A scheduler without a gate cannot share ticks with other instances: it takes a task
        // only when its applied state changes, and every live one after a start (as it forgot them).
        const wanted = shared || !this.tasksReconciled || here !== undefined;
        if ((mine !== revision && wanted) || t.applied?.revision !== revision) out.push(str(e.doc));
      }
    }
    return out;
  }

  /** Brings the scheduler to the task's current revision and records what was applied. */
  private async applyTask(taskDoc: DocumentId): Promise<void> {
    const scheduler = this.opts.scheduler!;
    const t = (await this.engine.find<TaskDoc>(taskDoc)).doc();
    const id = str(t.id);
    const revision = taskRevision(t);
    this.taskDocs.set(id, taskDoc);
    if (t.deleted !== undefined) {
      await scheduler.remove(id);
      this.appliedDefs.delete(id);
      this.appliedHere.set(id, revision);
      await recordTaskApplied(this.engine, this.actor, { taskDoc, revision });
      this.emit("activity", { type: "task-applied", task: id, revision, name: str(t.name), schedule: str(t.schedule), state: "removed" });
      return;
    }
    const def: ScheduledTask = {
      id,
      name: str(t.name),
      schedule: str(t.schedule),
      timezone: str(t.timezone),
      prompt: String(t.prompt),
      agentId: str(t.agentId),
      enabled: t.enabled,
      anchor: t.createdAt,
      ...(t.model === undefined ? {} : { model: str(t.model) }),
    };
    try {
      const prev = this.appliedDefs.get(id);
      let jobId: string;
      if (prev !== undefined && sameButEnabled(prev.def, def) && (await scheduler.setEnabled(id, def.enabled))) jobId = prev.jobId;
      else jobId = (await scheduler.upsert(def)).jobId;
      this.appliedDefs.set(id, { def, jobId });
      this.appliedHere.set(id, revision);
      await recordTaskApplied(this.engine, this.actor, { taskDoc, revision, cronJobId: jobId });
      this.emit("activity", { type: "task-applied", task: id, revision, name: def.name, schedule: def.schedule, state: def.enabled ? "scheduled" : "paused" });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.appliedHere.set(id, revision);
      await recordTaskApplied(this.engine, this.actor, { taskDoc, revision, error });
      this.emit("activity", { type: "task-applied", task: id, revision, error, name: def.name, schedule: def.schedule, state: "paused" });
    }
  }

  private async runRequest(taskDoc: DocumentId, request: RunRequestId): Promise<void> {
    if (this.consuming.has(request)) return;
    this.consuming.add(request);
    try {
      const id = str((await this.engine.find<TaskDoc>(taskDoc)).doc().id);
      const runId = `${RUN_NOW}${request}`;
      const job = jobIdOf(id, runId);
      if (!(await consumeRunRequest(this.engine, this.actor, { taskDoc, request, job }))) return;
      if (!this.appliedDefs.has(id)) await this.applyTask(taskDoc);
      if (await this.opts.scheduler!.runNow(id, runId)) return;
      const started = await startJob(this.engine, this.actor, { taskDoc, job, request });
      await finishJob(this.engine, this.actor, { doc: started.doc, job, status: "error", error: "The task is not scheduled on this gateway." });
    } finally {
      this.consuming.delete(request);
    }
  }

  /**
   * The scheduler's gate, a claim per occurrence: this instance claims the occurrence's job (its
   * id derived from the task and the run id, so every instance names it alike) and runs it only
   * if its claim was the first the relay stored (`claimJob`); only then does it record the job as
   * its own and let the run start. A job started before (by another instance, or by this one
   * before a restart) is not run again.
   */
  private async mayRun(run: { task: TaskId; runId: string; at: number }): Promise<boolean> {
    const taskDoc = this.taskDocs.get(run.task);
    if (this.stopped || taskDoc === undefined) return false;
    const job = jobIdOf(run.task, run.runId);
    const claim = { taskDoc, job, instance: this.opts.instance, at: run.at };
    if (!(await claimJob(this.engine, this.actor, claim, { confirmMs: this.opts.claimConfirmMs ?? CLAIM_CONFIRM_MS })) || this.stopped) return false;
    // Marked before the record exists, so the open-job sweep never takes it for a dead one.
    this.activeJobs.add(job);
    const s = await startJob(this.engine, this.actor, { taskDoc, job, startedAt: run.at, instance: this.opts.instance, ...requestOf(run.runId) });
    if (!s.started) {
      this.activeJobs.delete(job);
      return false;
    }
    const log = await this.engine.find<JobLogDoc>(s.doc);
    // Instances that decided without the relay (it was away) may both start it; the record that stands names the winner.
    const winning = (): boolean => str(log.doc().jobs[job]?.instance) === this.opts.instance;
    const name = this.appliedDefs.get(run.task)?.def.name ?? run.task;
    const trigger: JobTrigger = run.runId.startsWith(RUN_NOW) ? "run-now" : "scheduled";
    const stream = new EphStreamer((doc, frame) => this.engine.sendEph(doc, frame), s.doc, { type: EphType.jobStream, job }, this.opts.streamEveryMs ?? 30);
    this.claimed.set(`${run.task}|${run.runId}`, { doc: s.doc, job, task: run.task, startedAt: run.at, name, trigger, stream, winning });
    return true;
  }

  /** Turns the scheduler's run events into job records, in order per run. */
  private onRun(e: SchedulerRunEvent): void {
    const key = `${e.task}|${e.runId}`;
    if (e.type === "started") {
      const claimed = this.claimed.get(key);
      this.claimed.delete(key);
      if (claimed !== undefined) this.emit("activity", { type: "job-started", task: e.task, job: claimed.job, name: claimed.name, trigger: claimed.trigger });
      const started =
        claimed !== undefined
          ? Promise.resolve(claimed)
          : this.startJob(e).catch((err: unknown) => {
              this.problem("recording a job", err);
              return undefined;
            });
      this.jobs.set(key, started);
      return;
    }
    const started = this.jobs.get(key);
    if (started === undefined) return;
    if (e.type === "output") {
      void started.then((j) => {
        if (j === undefined) return;
        if (j.winning()) j.stream.push({ text: e.text });
        else this.opts.scheduler?.cancel?.(e.task, e.runId);
      });
      return;
    }
    this.jobs.delete(key);
    const finished = started
      .then(async (j) => {
        if (j === undefined) return;
        // Instances that decided alone (the relay was away): once this instance's last changes have travelled, another
        // instance's record may turn out to stand; then that instance reports the run.
        await withTimeout(this.engine.whenIdle(), this.opts.claimConfirmMs ?? CLAIM_CONFIRM_MS);
        if (!j.winning()) return;
        j.stream.flush({ done: true, ...(e.output === undefined ? {} : { text: e.output }) });
        const session = e.status === "skipped" ? undefined : await this.writeJobConversation(j, e).catch((err: unknown) => {
          this.problem("writing a job's conversation", err);
          return undefined;
        });
        await finishJob(this.engine, this.actor, {
          doc: j.doc,
          job: j.job,
          status: e.status,
          finishedAt: e.at,
          ...(session === undefined ? {} : { session }),
          ...(e.summary === undefined ? {} : { summary: e.summary }),
          ...(e.output === undefined ? {} : { output: e.output }),
          ...(e.error === undefined ? {} : { error: e.error }),
          ...(e.model === undefined ? {} : { model: e.model }),
        });
        this.emit("activity", {
          type: "job-finished",
          task: j.task,
          job: j.job,
          status: e.status,
          name: j.name,
          trigger: j.trigger,
          ms: Math.max(0, e.at - j.startedAt),
        });
      })
      .catch((err: unknown) => this.problem("finishing a job", err))
      .finally(() => {
        this.running.delete(finished);
        void started.then((j) => j !== undefined && this.activeJobs.delete(j.job));
      });
    this.running.add(finished);
  }

  /**
   * Writes a finished job's conversation into its task's session (one per task, derived from the
   * task id, archived so it opens from the job history rather than as a tab): the prompt as a
   * system message at the job's start, then the output, or the error. Idempotent by message ids
   * derived from the job. Answers the page document that holds the prompt.
   */
  private async writeJobConversation(
    j: { job: JobId; task: TaskId; startedAt: number },
    e: Extract<SchedulerRunEvent, { type: "finished" }>,
  ): Promise<DocumentId | undefined> {
    const taskDoc = this.taskDocs.get(j.task);
    if (taskDoc === undefined) return undefined;
    const t = (await this.engine.find<TaskDoc>(taskDoc)).doc();
    const channelDoc = str(t.channelDoc);
    const session = taskSessionId(j.task);
    const channel = await this.engine.find<ChannelDoc>(channelDoc);
    if (channel.doc().sessions[session] === undefined) {
      await createSession(this.engine, this.actor, { channelDoc, title: `Task: ${str(t.name)}`, session });
      // The op ignores who archives; a gateway archiving the session it made for a task's runs.
      await archiveSession(this.engine, { device: this.opts.gateway as unknown as DeviceId }, { channelDoc, session, archived: true });
    }
    const at = (ms: number): GatewayActor => ({ ...this.actor, now: () => ms });
    const prompt = await postMessage(this.engine, at(j.startedAt), {
      channelDoc,
      session,
      id: derivedId<MessageId>("job-prompt", j.job),
      role: "system",
      text: String(t.prompt),
    });
    const reply = e.status === "ok" ? e.output : e.error === undefined ? undefined : `The run failed: ${e.error}`;
    if (reply !== undefined && reply.length > 0) {
      await postMessage(this.engine, at(Math.max(e.at, j.startedAt + 1)), {
        channelDoc,
        session,
        id: derivedId<MessageId>("job-output", j.job),
        role: e.status === "ok" ? "agent" : "system",
        text: reply,
        ...(e.model === undefined ? {} : { model: e.model }),
      });
    }
    return prompt.doc;
  }

  private async startJob(e: Extract<SchedulerRunEvent, { type: "started" }>) {
    const taskDoc = this.taskDocs.get(e.task);
    if (taskDoc === undefined) return undefined;
    const job = jobIdOf(e.task, e.runId);
    this.activeJobs.add(job);
    const s = await startJob(this.engine, this.actor, {
      taskDoc,
      job,
      startedAt: e.at,
      instance: this.opts.instance,
      ...requestOf(e.runId),
      ...(e.model === undefined ? {} : { model: e.model }),
    });
    // Started before (another instance fired the same tick): that one records it.
    if (!s.started) {
      this.activeJobs.delete(job);
      return undefined;
    }
    const name = this.appliedDefs.get(e.task)?.def.name ?? e.task;
    const trigger: JobTrigger = e.runId.startsWith(RUN_NOW) ? "run-now" : "scheduled";
    this.emit("activity", { type: "job-started", task: e.task, job, name, trigger });
    const stream = new EphStreamer((doc, frame) => this.engine.sendEph(doc, frame), s.doc, { type: EphType.jobStream, job }, this.opts.streamEveryMs ?? 30);
    return { doc: s.doc, job, task: e.task, startedAt: e.at, name, trigger, stream, winning: () => true };
  }

  private problem(what: string, e: unknown): void {
    if (this.stopped) return;
    const msg = e instanceof Error ? e.message : String(e);
    this.emit("activity", { type: "problem", what: `${what}: ${msg}` });
  }
}

const defaultSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

/** The same socket, calling `onClose` after the engine's own close handler. */

/** The run-now request a run answers (its run id is `now:<request>`), as a job records it. */
function requestOf(runId: string): { request?: RunRequestId } {
  return runId.startsWith(RUN_NOW) ? { request: runId.slice(RUN_NOW.length) as RunRequestId } : {};
}

/** The job id of a scheduler run: the same on every instance that sees the same run. */
export function jobIdOf(task: TaskId, runId: string): JobId {
  return derivedId<JobId>("job", task, runId);
}

function sameButEnabled(a: ScheduledTask, b: ScheduledTask): boolean {
  return JSON.stringify({ ...a, enabled: true }) === JSON.stringify({ ...b, enabled: true });
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
