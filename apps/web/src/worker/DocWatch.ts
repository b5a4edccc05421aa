import type { DocHandle } from "@automerge/automerge-repo";
import type { DocumentId, SyncEngine } from "@botschat/model";
import type { WatchUpdate } from "../shared/views.js";

/**
 * Follows one document for one view: pushes the view computed from the document now and after
 * every change (coalesced to one push per task), or the "missing" view while the document is not
 * on this device; {@link DocWatch.attach} is called again when it may have arrived.
 */
export class DocWatch {
  private handle: DocHandle<unknown> | undefined;
  private attaching: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;

  constructor(
    /** The engine, once one is open (a tab may start watching before it is). */
    private readonly engine: () => SyncEngine | undefined,
    readonly doc: DocumentId,
    private readonly compute: (doc: unknown) => WatchUpdate,
    private readonly missing: () => WatchUpdate,
    readonly send: (u: WatchUpdate) => void,
  ) {}

  /** Loads the document if it is here and not followed yet; pushes what it shows. */
  attach(): Promise<void> {
    if (this.handle !== undefined || this.closed) return Promise.resolve();
    this.attaching ??= this.tryAttach().finally(() => (this.attaching = undefined));
    return this.attaching;
  }

  get attached(): boolean {
    return this.handle !== undefined;
  }

  /** Pushes the current view again. */
  refresh(): void {
    if (this.handle === undefined) {
      if (this.engine() !== undefined) this.send(this.missing());
    }
    else this.schedule();
  }

  close(): void {
    this.closed = true;
    this.handle?.off("change", this.onChange);
    this.handle?.off("delete", this.onDelete);
    this.handle = undefined;
  }

  private async tryAttach(): Promise<void> {
    const engine = this.engine();
    // Before an engine is open nothing is known yet: a cached view on screen stays as it is.
    if (engine === undefined) return;
    if (!engine.has(this.doc)) {
      this.send(this.missing());
      return;
    }
    try {
      const handle = await engine.find<unknown>(this.doc);
      if (this.closed) return;
      this.handle = handle;
      handle.on("change", this.onChange);
      handle.on("delete", this.onDelete);
      this.push();
    } catch {
      this.send(this.missing());
    }
  }

  private readonly onChange = (): void => this.schedule();
  private readonly onDelete = (): void => {
    this.handle?.off("change", this.onChange);
    this.handle = undefined;
    this.send(this.missing());
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.push();
    }, 0);
  }

  private push(): void {
    if (this.handle === undefined || this.closed) return;
    const doc = this.handle.doc();
    if (doc === undefined) return;
    this.send(this.compute(doc));
  }
}
