import type { DocumentId } from "@automerge/automerge-repo";
import { ROOT_DOCUMENT_ID } from "@botschat/crypto";
import type { EnvelopeDocId } from "@botschat/protocol";
import { ROOT_DOC_ID } from "../docs/ids.js";

/**
 * The document id an envelope names for a repo document (the root has a fixed one). The one place
 * a repo `DocumentId` becomes an {@link EnvelopeDocId}: both are the same string otherwise.
 */
export const envelopeDoc = (id: DocumentId): EnvelopeDocId => (id === ROOT_DOC_ID ? ROOT_DOCUMENT_ID : (id as string as EnvelopeDocId));

/** The repo document id an envelope's document id stands for (the one place it goes back). */
export const repoDoc = (doc: string): DocumentId => (doc === ROOT_DOCUMENT_ID ? ROOT_DOC_ID : (doc as DocumentId));
