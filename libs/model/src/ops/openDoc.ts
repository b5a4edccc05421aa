import type { DocHandle } from "@automerge/automerge-repo";
import type { DocStore } from "../docs/DocStore.js";
import type { DocType } from "../docs/DocType.js";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import { str } from "../docs/Imm.js";
import type { DocumentId } from "../docs/ids.js";
import { migrateHandle, SchemaCheck } from "../docs/migrate.js";
import { type RootDoc, rootInitial } from "../docs/RootDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";

/**
 * Finds a document for writing: checks its type, migrates it if it is outdated, refuses one
 * written by a newer version.
 */
export async function openDoc<T>(store: DocStore, id: DocumentId, type: DocType | readonly DocType[]): Promise<DocHandle<T>> {
  const handle = await store.find<T>(id);
  return checked(handle, type);
}

/** Like {@link openDoc} for a document with a derived id, created from its deterministic first change if absent. */
export async function ensureDoc<T>(store: DocStore, id: DocumentId, type: DocType, initial: () => T): Promise<DocHandle<T>> {
  return checked(await store.ensure<T>(id, initial), type);
}

/** The workspace root, created on first use. */
export function openRoot(store: DocStore): Promise<DocHandle<RootDoc>> {
  return ensureDoc<RootDoc>(store, ROOT_DOC_ID, "root", rootInitial);
}

function checked<T>(handle: DocHandle<T>, type: DocType | readonly DocType[]): DocHandle<T> {
  const types: readonly DocType[] = typeof type === "string" ? [type] : type;
  const actual = str((handle.doc() as { type?: string }).type);
  if (!types.includes(actual as DocType)) {
    throw new OpError(OpErrorCode.wrongType, `document ${handle.documentId} is a ${actual ?? "?"}, not a ${types.join(" or ")}`);
  }
  const check = migrateHandle(handle as DocHandle<unknown>);
  if (check === SchemaCheck.tooNew) {
    throw new OpError(OpErrorCode.tooNew, `document ${handle.documentId} was written by a newer version of BotsChat`);
  }
  return handle;
}
