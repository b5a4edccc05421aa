import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import {
  BlobDeleter,
  ConnectionState,
  LockReason,
  publishGateway,
  SyncEngine,
  type AgentId,
  type DocumentId,
  type GatewayActor,
  type GatewayId,
  type PeerStorage,
  type RunId,
  type SocketFactory,
  type SocketLike,
  type SyncEngineOptions,
  type SyncLogEntry,
  type SyncStatus,
} from "@botschat/model";
import type { AgentBackend } from "./AgentBackend.js";
import { JobRecorder } from "./JobRecorder.js";
import type { PeerActivity } from "./PeerActivity.js";
import type { PeerPorts } from "./PeerPorts.js";
import { ReplyRunner, type GatewayCatalog } from "./ReplyRunner.js";
import type { Scheduler } from "./Scheduler.js";
import { TaskApplier } from "./TaskApplier.js";
import { withTimeout } from "./withTimeout.js";
import { WorkFinder } from "./WorkFinder.js";

export type { JobTrigger, PeerActivity } from "./PeerActivity.js";
export { jobIdOf } from "@botschat/model";

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

/**
 * The agent side of a workspace, shared by the OpenClaw plugin and the demo agent: a sync peer
 * that answers the person's messages through an {@link AgentBackend} and runs their background
 * tasks through a {@link Scheduler}. It builds the sync engine and wires four parts to it:
 *
 * - On every connection it publishes its gateway (name, agents, models, default model, skills), marks
 *   interrupted what nobody runs any more, and looks for work.
 * - {@link WorkFinder} looks for work on start and on every remote change: unanswered messages in
 *   channels bound to its agents, task revisions not applied, run-now requests not consumed.
 * - {@link ReplyRunner} answers each message once per process: claimed, streamed as
 *   `agent-stream` eph frames, recorded once (or as an error); a person's Stop aborts it; runs
 *   this peer left open in a crash are marked interrupted when it starts again. `/help`,
 *   `/skills` and `/model [id]` are answered there.
 * - {@link TaskApplier} keeps the scheduler in step with the task documents and hands it the
 *   run-now requests.
 * - {@link JobRecorder} claims each occurrence through the scheduler's run gate and turns its
 *   runs into job records.
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
  private catalog: GatewayCatalog = { agents: [], models: [] };
  private readonly finder: WorkFinder;
  private readonly replies: ReplyRunner;
  private readonly jobs: JobRecorder | undefined;
  private unsubscribeRuns: (() => void) | undefined;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private live = false;
  private stopped = false;
  private failure: string | undefined;

  constructor(private readonly opts: AgentPeerOptions) {
    super();
    this.actor = { gateway: opts.gateway };
    this.renewEveryMs = opts.renewEveryMs ?? 60_000;
    const quietMs = opts.quietMs ?? 3 * this.renewEveryMs;
    const streamEveryMs = opts.streamEveryMs ?? 30;
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

    const ports: PeerPorts = {
      store: this.engine,
      actor: this.actor,
      instance: opts.instance,
      sendEph: (doc, frame) => this.engine.sendEph(doc, frame),
      activity: (a) => this.emit("activity", a),
      problem: (what, e) => this.problem(what, e),
      stopped: () => this.stopped,
    };
    const agents = (): GatewayCatalog["agents"] => this.catalog.agents;
    const claimConfirm = opts.claimConfirmMs === undefined ? {} : { claimConfirmMs: opts.claimConfirmMs };
    this.replies = new ReplyRunner({
      ...ports,
      ...claimConfirm,
      backend: opts.backend,
      catalog: () => this.catalog,
      renewEveryMs: this.renewEveryMs,
      quietMs,
      streamEveryMs,
    });
    const scheduler = opts.scheduler;
    let tasks: TaskApplier | undefined;
    if (scheduler !== undefined) {
      tasks = new TaskApplier({ ...ports, scheduler, agents });
      this.jobs = new JobRecorder({
        ...ports,
        ...claimConfirm,
        tasks,
        cancel: (task, runId) => scheduler.cancel?.(task, runId),
        agents,
        quietMs,
        streamEveryMs,
      });
    }
    this.finder = new WorkFinder({
      store: this.engine,
      gateway: opts.gateway,
      agents,
      live: () => this.live,
      stopped: () => this.stopped,
      onMessage: (p) => this.replies.dispatch(p),
      ...(tasks === undefined ? {} : { tasks }),
      problem: ports.problem,
    });

    this.engine.on("status", (s) => this.onStatus(s));
    this.engine.on("eph", ({ doc, payload }) => {
      this.replies.onEph(doc, payload);
      this.jobs?.onEph(doc, payload);
    });
    this.engine.on("remote", (id, info) => this.finder.changed(id, info?.deleted === true));
  }

  /**
   * Loads the local copy, connects and unlocks. Resolves once the engine runs (before the relay
   * answers); work starts when the peer is live. Watch `failed` for what stops it for good.
   */
  async start(): Promise<void> {
    await ready();
    const [agents, models] = await Promise.all([this.opts.backend.listAgents(), this.opts.backend.listModels()]);
    const defaultModel = (models.find((m) => m.default) ?? models[0])?.id;
    this.catalog = {
      agents: this.opts.agents === undefined ? agents.map((a) => a.id) : [...this.opts.agents],
      models,
      ...(defaultModel === undefined ? {} : { defaultModel }),
    };
    const jobs = this.jobs;
    if (jobs !== undefined) {
      this.unsubscribeRuns = this.opts.scheduler?.onRun((e) => jobs.onRun(e));
      this.opts.scheduler?.setRunGate?.(jobs.mayRun);
    }
    await this.engine.start();
    this.sweepTimer = setInterval(() => {
      void this.jobs?.renewJobs().catch((e: unknown) => this.problem("renewing jobs", e));
      void this.sweepOpenRuns().catch((e: unknown) => this.problem("sweeping open runs", e));
      // A claim whose lease ran out changes no document: only a full scan finds it.
      this.finder.rescan();
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
    this.finder.stop();
    clearInterval(this.sweepTimer);
    this.replies.abortAll("The agent was stopped.");
    await Promise.allSettled([this.replies.settled(), this.jobs?.settled()]);
    await this.finder.settled();
    // Closing the scheduler ends its runs; their `finished` events still become job records.
    await this.opts.scheduler?.close();
    this.unsubscribeRuns?.();
    await this.jobs?.close();
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
    return this.replies.activeRuns();
  }

  /** How many full and incremental scans for work this peer made (for tests and diagnostics). */
  scanCounts(): { full: number; incremental: number } {
    return this.finder.counts();
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
      const reason =
        s.lock === LockReason.wrongPassphrase ? PeerFailure.wrongPassphrase : s.lock === LockReason.noVault ? PeerFailure.noVault : PeerFailure.badVault;
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

  /** On every (re)connection: publish, then recover what nobody runs any more, then look for work. */
  private async onLive(): Promise<void> {
    const { agents, models, defaultModel } = this.catalog;
    // Skills only help the composer suggest: a backend that cannot list them still publishes the rest.
    const skills = await this.opts.backend.listSkills().catch((e: unknown) => {
      this.problem("listing skills", e);
      return [];
    });
    await publishGateway(this.engine, this.actor, {
      name: this.opts.name,
      agents: (await this.opts.backend.listAgents()).filter((a) => agents.includes(a.id)),
      models: models.map((m) => (m.name === undefined ? { id: m.id } : { id: m.id, name: m.name })),
      skills: skills.map((k) => ({ name: k.name, description: k.description })),
      ...(defaultModel === undefined ? {} : { defaultModel }),
      ...(this.engine.tokenId === undefined ? {} : { token: this.engine.tokenId }),
    });
    this.emit("activity", { type: "published", agents: agents.length, models: models.length });
    await this.sweepOpenRuns();
    // Entries applied while offline or before anyone listened: read everything once.
    this.finder.rescan(0);
  }

  /** Marks interrupted the runs and jobs of this gateway that no process works on any more. */
  private async sweepOpenRuns(): Promise<void> {
    if (!this.live || this.stopped) return;
    await this.replies.sweepOpenRuns();
    await this.jobs?.sweepOpenJobs();
  }

  private problem(what: string, e: unknown): void {
    if (this.stopped) return;
    const msg = e instanceof Error ? e.message : String(e);
    this.emit("activity", { type: "problem", what: `${what}: ${msg}` });
  }
}

const defaultSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;
