import type { DocumentId } from "@automerge/automerge-repo";

/**
 * The open documents with updates since their last snapshot, by when they last changed (locally
 * or from another device): once one has been quiet for `quietMs`, it is handed to `quiet`, which
 * compacts it when the snapshot policy says so.
 */
export class QuietDocuments {
  /** Insertion order is activity order, so the first entry is the next one due. */
  private readonly lastActive = new Map<DocumentId, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly quiet: (ids: DocumentId[]) => void,
  ) {}

  /** The document changed now; `updates` says whether it has any since its last snapshot. */
  active(id: DocumentId, updates: boolean): void {
    this.lastActive.delete(id);
    if (!updates) return;
    this.lastActive.set(id, Date.now());
    if (this.timer === undefined) this.arm();
  }

  /** The document was compacted (or is gone). */
  forget(id: DocumentId): void {
    this.lastActive.delete(id);
  }

  /** Whether the document waits for its quiet compaction (it is in use). */
  isWaiting(id: DocumentId): boolean {
    return this.lastActive.has(id);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const first = this.lastActive.values().next();
    if (first.done) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, first.value + this.quietMs - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const due = Date.now() - this.quietMs;
    const ids: DocumentId[] = [];
    for (const [id, at] of this.lastActive) {
      if (at > due) break;
      this.lastActive.delete(id);
      ids.push(id);
    }
    if (ids.length > 0) this.quiet(ids);
    this.arm();
  }
}
