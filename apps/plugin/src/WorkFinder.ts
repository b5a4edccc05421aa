import {
  findPendingMessages,
  findRunRequests,
  findWorkIn,
  type AgentId,
  type DocStore,
  type DocumentId,
  type GatewayId,
  type PendingMessage,
  type RunRequestId,
} from "@botschat/model";

/** What a {@link WorkFinder} needs: where to look, and whom to hand what it finds. */
export interface WorkFinderOptions {
  store: DocStore;
  gateway: GatewayId;
  /** The agents whose channels this peer serves. */
  agents: () => readonly AgentId[];
  /** Whether the peer is connected: work found offline would wait anyway, so scans wait. */
  live: () => boolean;
  stopped: () => boolean;
  /** A person's message waiting for an answer (the {@link ReplyRunner}). */
  onMessage: (p: PendingMessage) => void;
  /** The tasks' side (the {@link TaskApplier}); absent without a scheduler. */
  tasks?: {
    applyAll(): Promise<void>;
    runRequest(taskDoc: DocumentId, request: RunRequestId): Promise<void>;
  };
  problem: (what: string, e: unknown) => void;
}

/**
 * Looks for work: unanswered messages in channels bound to this gateway's agents, tasks to apply
 * and run-now requests not consumed. A scan reads only the documents other devices changed since
 * the last one (`findWorkIn`); the whole workspace is read when a full scan is asked for (on
 * start, back online, now and then: a claim whose lease runs out changes no document) or when an
 * incremental look cannot tell (a changed root). Bursts of changes become one scan, and scans
 * run one at a time, only while the peer is live.
 *
 * @example
 * const finder = new WorkFinder({ store, gateway, agents, live, stopped, onMessage: (p) => replies.dispatch(p), problem });
 * engine.on("remote", (id, info) => finder.changed(id, info?.deleted === true));
 * finder.rescan(0);
 */
export class WorkFinder {
  private wanted = false;
  private scanning: Promise<void> | undefined;
  private kickTimer: ReturnType<typeof setTimeout> | undefined;
  /** Documents other devices changed since the last scan: the next scan looks only at them. */
  private readonly changedDocs = new Set<DocumentId>();
  /** The next scan reads the whole workspace. */
  private fullScanWanted = true;
  private readonly scans = { full: 0, incremental: 0 };

  constructor(private readonly o: WorkFinderOptions) {}

  /** Another device changed (or deleted) a document: a scan looks at it soon. */
  changed(doc: DocumentId, deleted: boolean): void {
    if (!deleted) this.changedDocs.add(doc);
    this.kick();
  }

  /** Asks for a full scan in `delayMs`. */
  rescan(delayMs?: number): void {
    this.fullScanWanted = true;
    this.kick(delayMs);
  }

  /** Asks for a scan soon; bursts of remote changes become one scan. */
  kick(delayMs = 0): void {
    this.wanted = true;
    if (this.kickTimer !== undefined || this.scanning !== undefined || this.o.stopped()) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.scanning = this.scanLoop().finally(() => {
        this.scanning = undefined;
        // Work asked for while offline waits for the next full scan, which comes once back online.
        if (this.wanted && this.o.live() && !this.o.stopped()) this.kick();
      });
    }, delayMs);
  }

  /** How many full and incremental scans were made (for tests and diagnostics). */
  counts(): { full: number; incremental: number } {
    return { ...this.scans };
  }

  /** Cancels a scan asked for and not begun (the peer stops: no scan begins after this). */
  stop(): void {
    clearTimeout(this.kickTimer);
    this.kickTimer = undefined;
  }

  /** Resolves once the scan in progress ends. */
  async settled(): Promise<void> {
    await this.scanning;
  }

  private async scanLoop(): Promise<void> {
    while (this.wanted && this.o.live() && !this.o.stopped()) {
      this.wanted = false;
      try {
        await this.scanOnce();
      } catch (e) {
        this.o.problem("looking for work", e);
      }
    }
  }

  /**
   * One look for work: in the documents changed since the last look (`findWorkIn`), or in the
   * whole workspace when a full scan is due.
   */
  private async scanOnce(): Promise<void> {
    const { store, gateway, tasks } = this.o;
    const work = { agents: this.o.agents() };
    const ids = [...this.changedDocs];
    this.changedDocs.clear();
    if (!this.fullScanWanted) {
      const found = await findWorkIn(store, gateway, ids, work);
      if (!found.rescan) {
        this.scans.incremental += 1;
        for (const p of found.messages) this.o.onMessage(p);
        if (tasks === undefined) return;
        // Every instance applies every task to its own scheduler, so a task whose applied state
        // another instance recorded still needs applying here: look at the tasks themselves
        // (a handful of documents beside the pages and threads a full scan would read).
        await tasks.applyAll();
        for (const r of found.runRequests) {
          if (this.o.stopped()) return;
          await tasks.runRequest(r.taskDoc, r.request);
        }
        return;
      }
    }
    this.fullScanWanted = false;
    this.scans.full += 1;
    for (const p of await findPendingMessages(store, gateway, work)) this.o.onMessage(p);
    if (tasks === undefined) return;
    await tasks.applyAll();
    for (const r of await findRunRequests(store, gateway, work)) {
      if (this.o.stopped()) return;
      await tasks.runRequest(r.taskDoc, r.request);
    }
  }
}
