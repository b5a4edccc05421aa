import type { Imm } from "./Imm.js";

/** The kind of a workspace document, stored in its `type` field. */
export const DocType = {
  root: "root",
  channel: "channel",
  /**
   * A page of a session's messages (a session is a chain of pages). Stored as "session", the
   * name it had before sessions were paged: documents already written keep it.
   */
  page: "session",
  thread: "thread",
  task: "task",
  /** A task's job log for one month. */
  jobs: "jobs",
  /** The blobs waiting to be deleted at the relay (one per workspace). */
  blobs: "blobs",
} as const;
export type DocType = (typeof DocType)[keyof typeof DocType];

/** The schema version this code writes, per document type; older documents are migrated up. */
export const SCHEMA_VERSION = {
  root: 1,
  channel: 1,
  [DocType.page]: 1,
  thread: 1,
  task: 1,
  jobs: 1,
  blobs: 1,
} as const satisfies Record<DocType, number>;

/** What every workspace document starts with. */
export interface DocHeader<T extends DocType> {
  type: Imm<T>;
  /** The schema version the document was last written with (see `migrate`). */
  schema: number;
}
