import type { DocumentId } from "@automerge/automerge-repo";
import { BLOBS_DOC_ID } from "../docs/deriveDocumentId.js";
import type { BlobHash } from "../docs/ids.js";
import { deleteQueuedBlobs } from "../ops/blobDeletionOps.js";
import { ConnectionState, type SyncStatus } from "./ConnectionState.js";
import type { SyncEngine } from "./SyncEngine.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

/** Where and how a {@link BlobDeleter} reaches the relay. */
export interface BlobDeleterOptions {
  /** The relay's base URL, `http(s)://host:port`. */
  relayUrl: string;
  /** A session or pairing token of the person: either may delete their blobs (docs/protocol.md N23). */
  token: string;
  /** The fetch used for `DELETE /api/blobs/:hash`. Default: the global one. */
  fetch?: typeof fetch;
  /** How long after a pass that left blobs queued (the relay unreachable or failing) the next one runs. Default 60 s. */
  retryMs?: number;
  log?: (entry: SyncLogEntry) => void;
}

/**
 * Carries out the workspace's queued blob deletions (`deleteQueuedBlobs`) from this device
 * whenever it is live: when it becomes live (after a start, a reload or a reconnect), when another
 * device changes the queue, after a deletion made here ({@link BlobDeleter.kick}), and again
 * `retryMs` after a pass that could not delete everything. One pass at a time.
 *
 * @example
 * const blobs = new BlobDeleter(engine, { relayUrl, token });
 * await deleteSession(engine, me, input);
 * blobs.kick();
 */
export class BlobDeleter {
  private pass: Promise<void> | undefined;
  private again = false;
  private live = false;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly onStatus = (s: SyncStatus): void => {
    const wasLive = this.live;
    this.live = s.state === ConnectionState.live;
    if (this.live && !wasLive) this.kick();
  };

  private readonly onRemote = (id: DocumentId): void => {
    if (id === BLOBS_DOC_ID) this.kick();
  };

  constructor(
    private readonly engine: SyncEngine,
    private readonly opts: BlobDeleterOptions,
  ) {
    engine.on("status", this.onStatus);
    engine.on("remote", this.onRemote);
    this.onStatus(engine.getStatus());
  }

  /** Runs a pass soon, when live (a pass under way runs once more after it). */
  kick(): void {
    if (this.stopped || !this.live) return;
    if (this.pass !== undefined) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pass = this.run().finally(() => {
      this.pass = undefined;
      if (!this.again) return;
      this.again = false;
      this.kick();
    });
  }

  /** Resolves once no pass runs. */
  async whenIdle(): Promise<void> {
    while (this.pass !== undefined) await this.pass;
  }

  /** No more passes; resolves once the one under way ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.engine.off("status", this.onStatus);
    this.engine.off("remote", this.onRemote);
    clearTimeout(this.retryTimer);
    await this.whenIdle();
  }

  private async run(): Promise<void> {
    try {
      const pass = await deleteQueuedBlobs(this.engine, (hash) => this.remove(hash));
      const done = pass.deleted.length + pass.kept.length;
      if (done > 0) {
        const kept = pass.kept.length > 0 ? ` (${pass.kept.length} kept: a live message refers to them)` : "";
        this.log(LogCategory.api, `deleted ${pass.deleted.length} unused blob(s) at the relay${kept}`);
      }
      if (pass.failed.length > 0) this.retryLater(`${pass.failed.length} blob(s) could not be deleted at the relay`);
    } catch (e) {
      this.retryLater(`deleting unused blobs failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async remove(hash: BlobHash): Promise<boolean> {
    const res = await (this.opts.fetch ?? fetch)(`${this.opts.relayUrl}/api/blobs/${hash}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${this.opts.token}` },
    });
    await res.text().catch(() => "");
    // 404: deleted already (another device was quicker) or never stored: gone either way.
    return res.status === 204 || res.status === 404;
  }

  private retryLater(why: string): void {
    const ms = this.opts.retryMs ?? 60_000;
    this.log(LogCategory.warn, `${why}; trying again in ${Math.round(ms / 1000)} s`);
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, ms);
  }

  private log(cat: SyncLogEntry["cat"], msg: string): void {
    this.opts.log?.({ ts: Date.now(), cat, msg });
  }
}
