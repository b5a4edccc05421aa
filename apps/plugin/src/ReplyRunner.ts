import {
  CLAIM_CONFIRM_MS,
  claimMessage,
  currentVersion,
  EphStreamer,
  EphType,
  findOpenRuns,
  markInterrupted,
  openRoot,
  randomId,
  readEphFrame,
  recordError,
  recordReply,
  renewClaim,
  setSessionModel,
  STOPPED_REASON,
  str,
  VersionKind,
  versionKindOf,
  winningRun,
  type AgentId,
  type AgentStreamFrame,
  type ChannelDoc,
  type DocumentId,
  type MessageDoc,
  type MessageRecord,
  type ModelId,
  type PendingMessage,
  type RunId,
} from "@botschat/model";
import type { AgentBackend, AgentRequest, AgentResult, ModelChoice } from "./AgentBackend.js";
import type { PeerPorts } from "./PeerPorts.js";
import { slashCommand } from "./slashCommand.js";
import { withTimeout } from "./withTimeout.js";

/** What the gateway offers, as its backend listed it when the peer started. */
export interface GatewayCatalog {
  /** The agents whose channels this peer serves. */
  agents: readonly AgentId[];
  models: readonly ModelChoice[];
  defaultModel?: ModelId;
}

/** What a {@link ReplyRunner} needs besides the {@link PeerPorts}. */
export interface ReplyRunnerOptions extends PeerPorts {
  backend: AgentBackend;
  catalog: () => GatewayCatalog;
  /** How often a working run renews its claim. */
  renewEveryMs: number;
  /** Runs of another instance that said nothing for this long are presumed dead. */
  quietMs: number;
  /** At most one stream frame per run this often. */
  streamEveryMs: number;
  /** How long a fresh claim waits for the relay to place it. */
  claimConfirmMs?: number;
}

interface ActiveRun {
  runId: RunId;
  doc: DocumentId;
  message: PendingMessage["message"];
  abort: AbortController;
  /** Its reply's eph stream, once it began. */
  stream?: EphStreamer<Pick<AgentStreamFrame, "type" | "run" | "message">>;
}

/**
 * The conversation a pending message belongs to: its session, or its thread. A conversation is
 * answered in the order it was written, one message at a time.
 */
export const conversationOf = (p: PendingMessage): string => (p.thread === undefined ? `session:${p.session}` : `thread:${p.doc}`);

/**
 * Answers the person's messages, one run per pending message: claims it (`claimMessage`), waits
 * for the claim to be placed and checks it won, streams the reply as `agent-stream` eph frames
 * (cumulative) while renewing the claim, and records it once with `recordReply`; a failure
 * becomes `recordError`, a Stop or a stop of the peer `markInterrupted`. Slash commands are
 * answered here ({@link slashCommand}), never by the backend. It also marks interrupted the runs
 * nobody works on any more ({@link ReplyRunner.sweepOpenRuns}).
 *
 * Within one conversation (a session or a thread) messages are answered in the order they were
 * written, one at a time: the next starts once the previous reply is recorded, whether they
 * arrived live, from an offline queue or from two devices. Conversations run side by side.
 *
 * @example
 * const replies = new ReplyRunner({ ...ports, backend, catalog: () => catalog, renewEveryMs, quietMs, streamEveryMs: 30 });
 * for (const p of await findPendingMessages(store, gateway)) replies.dispatch(p);
 * await replies.settled();
 */
export class ReplyRunner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly activeRunIds = new Set<RunId>();
  /** Replies being produced: `settled` waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** Per conversation with a run in progress (or about to start one): the messages waiting. */
  private readonly waiting = new Map<string, Map<string, PendingMessage>>();

  constructor(private readonly o: ReplyRunnerOptions) {}

  /** Runs in progress (message documents and ids). */
  activeRuns(): { doc: DocumentId; message: string; runId: RunId }[] {
    return [...this.active.values()].map(({ doc, message, runId }) => ({ doc, message, runId }));
  }

  /**
   * Answers a pending message unless a run already works on it: at once when its conversation is
   * idle, else after the messages written before it.
   */
  dispatch(p: PendingMessage): void {
    const key = `${p.doc}|${p.message}`;
    if (this.active.has(key) || this.o.stopped()) return;
    const conversation = conversationOf(p);
    const queue = this.waiting.get(conversation);
    if (queue !== undefined) {
      queue.set(key, p);
      return;
    }
    this.waiting.set(conversation, new Map([[key, p]]));
    const turn = this.next(conversation)
      .catch((e: unknown) => this.o.problem("answering", e))
      .finally(() => this.running.delete(turn));
    this.running.add(turn);
  }

  /** Answers a conversation's waiting messages, earliest written first, until none is left. */
  private async next(conversation: string): Promise<void> {
    // Messages found by the same scan are all queued before the first is chosen.
    await Promise.resolve();
    for (;;) {
      const queue = this.waiting.get(conversation);
      if (queue === undefined || queue.size === 0 || this.o.stopped()) {
        this.waiting.delete(conversation);
        return;
      }
      const p = await this.earliest([...queue.values()]);
      queue.delete(`${p.doc}|${p.message}`);
      await this.start(p);
    }
  }

  /** The message written first (then by id), as the documents say. */
  private async earliest(candidates: PendingMessage[]): Promise<PendingMessage> {
    const written = await Promise.all(
      candidates.map(async (p) => ((await this.o.store.find<MessageDoc>(p.doc)).doc().messages[p.message]?.createdAt ?? 0) as number),
    );
    let best = 0;
    for (let i = 1; i < candidates.length; i++) {
      const [a, b] = [written[i]!, written[best]!];
      if (a < b || (a === b && candidates[i]!.message < candidates[best]!.message)) best = i;
    }
    return candidates[best]!;
  }

  /** One run for a pending message; resolves once it ended. */
  private start(p: PendingMessage): Promise<void> {
    const key = `${p.doc}|${p.message}`;
    if (this.active.has(key)) return Promise.resolve();
    const run: ActiveRun = { runId: `${this.o.instance}-${randomId()}` as RunId, doc: p.doc, message: p.message, abort: new AbortController() };
    // Registered before the first await, so neither a second scan nor the open-run sweep sees a gap.
    this.active.set(key, run);
    this.activeRunIds.add(run.runId);
    const done = this.answer(p, run)
      .catch((e: unknown) => this.o.problem("answering", e))
      .finally(() => {
        this.active.delete(key);
        this.activeRunIds.delete(run.runId);
        this.running.delete(done);
      });
    this.running.add(done);
    return done;
  }

  /**
   * A received eph frame: a person's "Stop" aborts the run on that message (the named run, or
   * any); a device that joined a reply midway, or missed a frame, gets a keyframe.
   */
  onEph(doc: DocumentId, payload: Readonly<Record<string, unknown>>): void {
    const frame = readEphFrame(payload);
    if (frame?.type === EphType.streamSync && frame.run !== undefined) {
      for (const run of this.active.values()) if (run.runId === frame.run && run.doc === doc) run.stream?.requestKeyframe();
      return;
    }
    if (frame?.type !== EphType.agentStop) return;
    const run = this.active.get(`${doc}|${frame.message}`);
    if (run === undefined || (frame.run !== undefined && frame.run !== run.runId)) return;
    run.abort.abort(new Error(STOPPED_REASON));
  }

  /** Aborts every run in progress (each is then marked interrupted with `reason`). */
  abortAll(reason: string): void {
    for (const run of this.active.values()) run.abort.abort(new Error(reason));
  }

  /** Resolves once the runs in progress, and the messages waiting behind them, have ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * Marks interrupted the runs of this gateway nobody works on: this instance's own at once
   * (cut off by its crash), another instance's once they said nothing for `quietMs`.
   */
  async sweepOpenRuns(): Promise<void> {
    const mine = `${this.o.instance}-`;
    const gateway = this.o.actor.gateway;
    const work = { agents: this.o.catalog().agents, now: (this.o.actor.now ?? Date.now)() };
    const own = (await findOpenRuns(this.o.store, gateway, this.activeRunIds, work)).filter((r) => r.runId.startsWith(mine));
    const others = (await findOpenRuns(this.o.store, gateway, this.activeRunIds, { ...work, quietMs: this.o.quietMs })).filter(
      (r) => !r.runId.startsWith(mine),
    );
    for (const r of [...own, ...others]) {
      if (this.activeRunIds.has(r.runId)) continue;
      const reason = "The agent stopped before it finished this reply.";
      if (await markInterrupted(this.o.store, this.o.actor, { ...r, reason })) {
        this.o.activity({ type: "interrupted", message: r.message, run: r.runId });
      }
    }
  }

  private async answer(p: PendingMessage, run: ActiveRun): Promise<void> {
    const { store, actor } = this.o;
    const now = actor.now ?? Date.now;
    const target = { doc: p.doc, message: p.message, runId: run.runId };
    if (!(await claimMessage(store, actor, target))) return;
    // Found again each time: over a long reply the engine may let go of the page's handle.
    // A page that cannot be read any more (its session was deleted meanwhile) holds no claim of ours.
    const current = async (): Promise<MessageRecord | undefined> => (await store.find<MessageDoc>(p.doc).catch(() => undefined))?.doc().messages[p.message];
    const winning = async (): Promise<boolean> => {
      const m = await current();
      return m !== undefined && str(winningRun(m)?.runId) === run.runId;
    };
    // The claim travels while the answer is being made: the claim won once every claim the relay
    // stored before it is applied here and it is still first. Nothing is shown or recorded before,
    // and a lost claim stops the run quietly.
    let lost = false;
    const confirmed = (async (): Promise<boolean> => {
      if (store.afterAck !== undefined)
        await withTimeout(
          store.afterAck(p.doc, () => undefined),
          this.o.claimConfirmMs ?? CLAIM_CONFIRM_MS,
        );
      const won = await winning();
      if (!won) {
        lost = true;
        run.abort.abort(new Error("Another agent took this message over."));
      }
      return won;
    })();
    const message = await current();
    if (message === undefined) return;
    const conversation = conversationOf(p);
    const started = now();
    const model = p.model ?? this.o.catalog().defaultModel;

    const stream = new EphStreamer(this.o.sendEph, p.doc, { type: EphType.agentStream, run: run.runId, message: p.message }, this.o.streamEveryMs);
    run.stream = stream;
    const renew = setInterval(() => void renewClaim(store, actor, target).catch(() => undefined), this.o.renewEveryMs);
    try {
      const producing = this.produce(p, message, conversation, run, stream, winning, confirmed);
      // A backend that fails before the claim is placed fails the run once it is (below), not the process.
      producing.catch(() => undefined);
      if (!(await confirmed)) {
        await producing.catch(() => undefined);
        this.o.activity({ type: "lost", message: p.message, run: run.runId });
        return;
      }
      this.o.activity({
        type: "answering",
        conversation,
        message: p.message,
        run: run.runId,
        where: await this.whereOf(p),
        ...(model ? { model } : {}),
      });
      const result = await producing;
      if (result === undefined) return;
      const r = await recordReply(store, actor, { ...target, ...result });
      stream.flush({ text: result.text, done: true });
      if (r.ok) this.o.activity({ type: "answered", message: p.message, run: run.runId, model: result.model, ms: now() - started });
      else this.o.activity({ type: "lost", message: p.message, run: run.runId });
    } catch (e) {
      // A claim lost while the answer was being made: nothing was shown, nothing is marked.
      if (lost) return;
      const reason = e instanceof Error ? e.message : String(e);
      stream.flush({ done: true, error: reason });
      if (run.abort.signal.aborted) {
        await markInterrupted(store, actor, { ...target, reason });
        this.o.activity({ type: "interrupted", message: p.message, run: run.runId });
      } else {
        await recordError(store, actor, { ...target, reason });
        this.o.activity({ type: "failed", message: p.message, run: run.runId, reason });
      }
    } finally {
      clearInterval(renew);
      stream.cancel();
    }
  }

  /** "channel › session" (› thread) of a pending message, for people reading the activity. */
  private async whereOf(p: PendingMessage): Promise<string> {
    const root = (await openRoot(this.o.store)).doc();
    const channel = str(root.channels[p.channel]?.name) ?? "?";
    const session = str((await this.o.store.find<ChannelDoc>(p.channelDoc)).doc().sessions[p.session]?.title) ?? "?";
    return `${channel} › ${session}${p.thread === undefined ? "" : " › thread"}`;
  }

  /**
   * The reply: a slash command's, or the backend's streamed one. Undefined if the run lost its
   * claim. It begins while the claim travels (`confirmed`): a command runs, and the stream shows,
   * only once the claim won.
   */
  private async produce(
    p: PendingMessage,
    message: MessageRecord,
    conversation: string,
    run: ActiveRun,
    stream: EphStreamer<Pick<AgentStreamFrame, "type" | "run" | "message">>,
    winning: () => Promise<boolean>,
    confirmed: Promise<boolean>,
  ): Promise<AgentResult | undefined> {
    const { backend } = this.o;
    const text = str(message.text);
    // A command may change the session (`/model`): only the run whose claim won runs it.
    if (message.answers === undefined && text.trimStart().startsWith("/") && !(await confirmed)) return undefined;
    const model = p.model ?? this.o.catalog().defaultModel;
    // An action answer's text is the label the agent wrote, not the person's command.
    const command =
      message.answers === undefined
        ? await slashCommand(text, {
            backend,
            models: this.o.catalog().models,
            ...(model === undefined ? {} : { model }),
            setModel: (m) => this.setSessionModel(p, m),
          })
        : undefined;
    if (command !== undefined) return command;

    const request: AgentRequest = { conversation, agentId: p.agentId, text, signal: run.abort.signal };
    if (model !== undefined) request.model = model;
    const version = versionKindOf(message);
    if (version !== VersionKind.original) request.version = version;
    if (p.thread !== undefined) {
      const page = await this.o.store.find<MessageDoc>(p.thread.doc);
      // The thread's message as it reads now: a person's message in its latest version.
      const parent = currentVersion(page.doc().messages, p.thread.message);
      if (parent !== undefined) request.parent = { id: p.thread.message, role: str(parent.role), text: str(parent.text) };
    }
    if (message.answers !== undefined) {
      request.answer = { message: str(message.answers.message), block: str(message.answers.block), value: str(message.answers.value), label: text };
    }
    let final: AgentResult | undefined;
    for await (const ev of backend.answer(request)) {
      if (!(await confirmed)) return undefined;
      if (!(await winning())) {
        run.abort.abort(new Error("Another agent took this message over."));
        this.o.activity({ type: "lost", message: p.message, run: run.runId });
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
    // On the person's `/model` command: the same field the model selector writes.
    await setSessionModel(this.o.store, this.o.actor, { channelDoc: p.channelDoc, session: p.session, model });
  }
}
