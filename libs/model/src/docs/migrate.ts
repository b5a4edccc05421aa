import type { DocHandle } from "@automerge/automerge-repo";
import { type DocType, SCHEMA_VERSION } from "./DocType.js";
import { str } from "./Imm.js";

/**
 * One migration step: changes a document of schema `n` (inside an Automerge change) into schema
 * `n + 1`. Two devices may run the same step concurrently, so a step must write the same values
 * from the same input and never create a nested map that the old schema lacked under a key that
 * a concurrent step would also create with different contents.
 */
export type MigrationStep = (doc: Record<string, unknown>) => void;

/** Target schema versions and the steps to reach them, per document type. */
export interface MigrationRegistry {
  versions: Record<DocType, number>;
  /** `steps[type][n]` turns schema `n` into `n + 1`. */
  steps: Record<DocType, Record<number, MigrationStep>>;
}

/** The migrations of this code. Version 1 is the first schema: nothing to migrate yet. */
export const MIGRATIONS: MigrationRegistry = {
  versions: SCHEMA_VERSION,
  steps: { root: {}, channel: {}, session: {}, thread: {}, task: {}, jobs: {}, blobs: {} },
};

/** How a document's schema compares with what the code writes. */
export const SchemaCheck = {
  current: "current",
  /** Older: {@link migrate} brings it up. */
  outdated: "outdated",
  /** Written by a newer version of BotsChat: read it, do not write it. */
  tooNew: "too-new",
  /** Not a workspace document of a known type. */
  unknown: "unknown",
} as const;
export type SchemaCheck = (typeof SchemaCheck)[keyof typeof SchemaCheck];

/** Compares a document's `type`/`schema` with the registry. */
export function checkSchema(doc: unknown, registry: MigrationRegistry = MIGRATIONS): SchemaCheck {
  const type = docTypeOf(doc, registry);
  if (type === undefined) return SchemaCheck.unknown;
  const schema = schemaOf(doc);
  const target = registry.versions[type];
  if (schema === target) return SchemaCheck.current;
  return schema < target ? SchemaCheck.outdated : SchemaCheck.tooNew;
}

/**
 * Runs the steps from a document's schema up to the registry's version, on a mutable document
 * (call it inside `handle.change`, or use {@link migrateHandle}). Returns the versions it went
 * through; throws if a step is missing (a bug: every version needs a step to the next).
 *
 * @example
 * handle.change((doc) => migrate(doc));
 */
export function migrate(doc: Record<string, unknown>, registry: MigrationRegistry = MIGRATIONS): number[] {
  const type = docTypeOf(doc, registry);
  if (type === undefined) throw new Error("migrate: not a workspace document");
  const passed: number[] = [];
  for (let schema = schemaOf(doc); schema < registry.versions[type]; schema = schemaOf(doc)) {
    const step = registry.steps[type][schema];
    if (step === undefined) throw new Error(`migrate: no step from ${type} schema ${schema}`);
    step(doc);
    doc.schema = schema + 1;
    passed.push(schema);
  }
  return passed;
}

/** Migrates a handle's document in one change if it is outdated; returns the schema check before. */
export function migrateHandle(handle: DocHandle<unknown>, registry: MigrationRegistry = MIGRATIONS): SchemaCheck {
  const check = checkSchema(handle.doc(), registry);
  if (check === SchemaCheck.outdated) {
    handle.change((doc) => {
      migrate(doc as Record<string, unknown>, registry);
    });
  }
  return check;
}

function docTypeOf(doc: unknown, registry: MigrationRegistry): DocType | undefined {
  if (doc === null || typeof doc !== "object") return undefined;
  const type = str((doc as { type?: string }).type);
  return type !== undefined && Object.hasOwn(registry.versions, type) ? (type as DocType) : undefined;
}

/** A document without `schema` is schema 0. */
function schemaOf(doc: unknown): number {
  const schema = (doc as { schema?: unknown }).schema;
  return typeof schema === "number" ? schema : 0;
}
