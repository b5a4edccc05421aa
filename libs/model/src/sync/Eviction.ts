import type { DocumentId } from "@automerge/automerge-repo";
import type { LoadedDocuments } from "./LoadedDocuments.js";

export interface EvictionOptions {
  /** Loaded documents kept in memory, at most (see `SyncEngineOptions.maxLoadedDocuments`). */
  maxLoaded: number;
  /** A document used more recently than this stays loaded. */
  idleMs: number;
  /** Whether the document must stay loaded for now besides being watched (its quiet compaction is due). */
  busy(id: DocumentId): boolean;
  /** Lets go of a clean document; resolves with whether it did. */
  release(id: DocumentId): Promise<boolean>;
  log(msg: string): void;
}

/**
 * Keeps the loaded documents within their bound: beyond it, the least recently used ones that are
 * clean, idle for `idleMs` and not watched are let go of.
 */
export class Eviction {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly docs: LoadedDocuments,
    private readonly opts: EvictionOptions,
  ) {}

  /** This device used a loaded document now; over the bound, an eviction is scheduled. */
  touch(id: DocumentId): void {
    this.docs.touch(id);
    if (this.docs.loadedCount > this.opts.maxLoaded) this.schedule(this.opts.idleMs);
  }

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.evict();
      },
      Math.max(0, delayMs),
    );
  }

  private async evict(): Promise<void> {
    const { idleMs, maxLoaded } = this.opts;
    let retryIn = idleMs;
    for (const [id, at] of this.docs.byLastUse()) {
      if (this.docs.loadedCount <= maxLoaded || this.timer !== undefined || this.stopped) return;
      const idleFor = Date.now() - at;
      if (idleFor < idleMs) {
        // Least recent first: the rest were used later still.
        retryIn = idleMs - idleFor;
        break;
      }
      if (!this.docs.isLoaded(id) || this.opts.busy(id) || this.docs.isWatched(id)) continue;
      if (await this.opts.release(id)) this.opts.log(`let go of ${id}: ${this.docs.loadedCount} documents loaded`);
    }
    if (this.docs.loadedCount > maxLoaded) this.schedule(retryIn);
  }
}
