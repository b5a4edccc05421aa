import type { DocHandle } from "@automerge/automerge-repo";
import type { DocumentId } from "@botschat/model";

/** What a {@link ViewWatch} needs of the engine: whether a document is here, and loading it. */
export interface WatchStore {
  has(id: DocumentId): boolean;
  find<T>(id: DocumentId): Promise<DocHandle<T>>;
}

/** How a view's computation reads documents. */
export interface DocReader {
  /**
   * The document as it is now; undefined while it loads (it is loaded, and the view computed
   * again once it is) or when it is not on this device (computed again when it arrives).
   */
  doc<T>(id: DocumentId): T | undefined;
  /** Whether a document read so far in this computation is still loading. */
  readonly loading: boolean;
}

/**
 * A view computed from the documents it reads, pushed now and again after any of them changes
 * (coalesced to one push per task). Which documents it follows is what the last computation read:
 * a view may read more of them as it grows (older months of a job log) and stop following those it
 * no longer reads. While a document it read is loading, nothing is pushed unless the view is
 * `partial` (it shows what is here and fills in the rest); `compute` answers undefined to push
 * nothing.
 */
export class ViewWatch<U> {
  private readonly held = new Map<DocumentId, DocHandle<unknown>>();
  private readonly loads = new Set<DocumentId>();
  /** Documents read but not on this device: an arrival computes the view again. */
  private absent = new Set<DocumentId>();
  private scheduled = false;
  private closed = false;
  private computed = false;

  constructor(
    /** The engine, once one is open (a tab may start watching before it is). */
    private readonly store: () => WatchStore | undefined,
    private readonly compute: (read: DocReader) => U | undefined,
    private readonly send: (u: U) => void,
    private readonly options: { partial?: boolean } = {},
  ) {}

  /** Computes and pushes the view (at once); later changes push it again. */
  start(): void {
    this.run();
  }

  /** Whether the view reads this document (held, loading or waited for). */
  reads(doc: DocumentId): boolean {
    return this.held.has(doc) || this.loads.has(doc) || this.absent.has(doc);
  }

  /** Documents may have arrived or an engine opened: computes again if the view waits for any. */
  retry(): void {
    if (!this.computed || this.absent.size > 0) this.schedule();
  }

  /** A document arrived or changed on another device. */
  arrived(doc: DocumentId): void {
    if (this.absent.has(doc)) this.schedule();
  }

  /** Stops following; answers the documents it held, for the caller to let go of. */
  close(): DocHandle<unknown>[] {
    this.closed = true;
    const handles = [...this.held.values()];
    for (const handle of handles) this.unlisten(handle);
    this.held.clear();
    return handles;
  }

  private run(): void {
    const store = this.store();
    // Before an engine is open nothing is known yet: a cached view on screen stays as it is.
    if (store === undefined || this.closed) return;
    const used = new Set<DocumentId>();
    const absent = new Set<DocumentId>();
    let loading = false;
    const reader: DocReader = {
      doc: <T>(id: DocumentId): T | undefined => {
        used.add(id);
        const held = this.held.get(id);
        if (held !== undefined) {
          const doc = held.isReady() ? (held.doc() as T | undefined) : undefined;
          if (doc !== undefined) return doc;
          // Deleted (or unloaded) under the view: it is read again as any other document.
          this.unlisten(held);
          this.held.delete(id);
        }
        if (!store.has(id)) {
          absent.add(id);
          return undefined;
        }
        loading = true;
        this.load(store, id);
        return undefined;
      },
      get loading() {
        return loading;
      },
    };
    const update = this.compute(reader);
    this.computed = true;
    this.absent = absent;
    for (const [id, handle] of this.held) {
      if (used.has(id)) continue;
      this.unlisten(handle);
      this.held.delete(id);
    }
    if (update !== undefined && (!loading || this.options.partial === true)) this.send(update);
  }

  private load(store: WatchStore, id: DocumentId): void {
    if (this.loads.has(id)) return;
    this.loads.add(id);
    store.find<unknown>(id).then(
      (handle) => {
        this.loads.delete(id);
        if (this.closed || this.held.has(id)) return;
        this.held.set(id, handle);
        handle.on("change", this.onChange);
        handle.on("delete", this.onChange);
        this.schedule();
      },
      () => {
        // Deleted or gone meanwhile: the next computation sees it absent.
        this.loads.delete(id);
        this.schedule();
      },
    );
  }

  private unlisten(handle: DocHandle<unknown>): void {
    handle.off("change", this.onChange);
    handle.off("delete", this.onChange);
  }

  private readonly onChange = (): void => this.schedule();

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.run();
    }, 0);
  }
}
