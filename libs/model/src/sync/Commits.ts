import type { DocumentId } from "@automerge/automerge-repo";
import type { DocSyncState, PeerStorage, SyncTx } from "../storage/PeerStorage.js";
import type { LoadedDocuments } from "./LoadedDocuments.js";
import type { Outbox } from "./Outbox.js";

export interface CommitsOptions {
  storage: PeerStorage;
  docs: LoadedDocuments;
  outbox: Outbox;
  /** Entries were added to the outbox: send what may go. */
  added(): void;
  /** The outbox holds this many entries now. */
  pending(size: number): void;
  /** A commit (or other work on the chain) failed: `what` names it. A restart re-derives a lost commit. */
  failed(what: string, e: unknown): void;
}

/**
 * The one ordered chain of the engine's storage commits. Each persists, in order: the touched
 * documents' chunks first, then cursor, document states and outbox in one atomic commit, then
 * hands what was added to the outbox on. A crash in between re-derives the same changes on
 * restart (their heads were not yet recorded), so nothing is lost or doubled.
 */
export class Commits {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: CommitsOptions) {}

  commit(tx: SyncTx, flushDocs: readonly DocumentId[] = []): Promise<void> {
    const { storage, docs, outbox } = this.opts;
    return this.after(async () => {
      await docs.flush(flushDocs);
      const states = tx.docs?.map(([id, st]) => [id, { ...st, knownHeads: [...st.knownHeads] }] as [string, DocSyncState]);
      await storage.commit({ ...tx, ...(states ? { docs: states } : {}) });
      if (tx.outboxRemove?.length) outbox.remove(tx.outboxRemove);
      if (tx.outboxAdd?.length) {
        outbox.add(tx.outboxAdd);
        this.opts.added();
      }
      this.opts.pending(outbox.size);
    }).then(() => undefined);
  }

  /**
   * Runs `work` after every commit queued so far (later ones wait for it). Resolves with its
   * result, or undefined when it failed (reported through `failed` as `what`).
   */
  after<T>(work: () => Promise<T>, what = "local storage"): Promise<T | undefined> {
    const run = this.chain.then(work).then(
      (v) => v,
      (e: unknown) => {
        this.opts.failed(what, e);
        return undefined;
      },
    );
    this.chain = run.then(() => undefined);
    return run;
  }

  /** Resolves once every commit queued so far is done. */
  idle(): Promise<void> {
    return this.chain;
  }
}
