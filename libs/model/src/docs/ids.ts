import { documentIdToBinary, generateAutomergeUrl, parseAutomergeUrl } from "@automerge/automerge-repo";
import type { Brand } from "@botschat/protocol";
import { sha256 } from "./sha256.js";

export type { DocumentId } from "@automerge/automerge-repo";
export type { DeviceId, BlobHash } from "@botschat/protocol";

/** A channel (an entry of the root document). */
export type ChannelId = Brand<string, "ChannelId">;
/** A session (an entry of its channel document; its pages are documents). */
export type SessionId = Brand<string, "SessionId">;
/** A message, unique within its page or thread document. */
export type MessageId = Brand<string, "MessageId">;
/** A background task (an entry of its channel document; the task itself is a document). */
export type TaskId = Brand<string, "TaskId">;
/** A job: one run of a task. */
export type JobId = Brand<string, "JobId">;
/** One attempt of an agent at answering one message (the claim and its outcome). */
export type RunId = Brand<string, "RunId">;
/** A person's "Run now" request on a task. */
export type RunRequestId = Brand<string, "RunRequestId">;
/** A gateway: one agent-side peer (an OpenClaw plugin or a demo agent). */
export type GatewayId = Brand<string, "GatewayId">;
/** An agent of a gateway (an OpenClaw agent id). */
export type AgentId = Brand<string, "AgentId">;
/** A model name as a gateway publishes it (`provider/model`). */
export type ModelId = Brand<string, "ModelId">;

/** The id kinds that {@link parseId} checks: a printable, non-empty string of at most 128 characters. */
const ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Checks an id of any kind: printable ASCII without spaces, 1–128 characters.
 *
 * @example
 * const gateway = parseId<GatewayId>(config.name); // undefined if it is not a valid id
 */
export function parseId<T extends Brand<string, string>>(value: string): T | undefined {
  return ID.test(value) ? (value as T) : undefined;
}

/** 32 lowercase hex characters from 16 random bytes (those of a fresh automerge-repo document id). */
export function randomId<T extends Brand<string, string>>(): T {
  const binary = documentIdToBinary(parseAutomergeUrl(generateAutomergeUrl()).documentId);
  if (binary === undefined) throw new Error("automerge-repo generated an invalid document id");
  return hex(binary) as T;
}

/**
 * A deterministic id from the parts it belongs to: 32 hex characters of SHA-256 over the parts
 * joined with `:`. Two devices that derive the id of the same thing get the same id.
 */
export function derivedId<T extends Brand<string, string>>(...parts: string[]): T {
  return hex(sha256(new TextEncoder().encode(parts.join(":"))).subarray(0, 16)) as T;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export { ROOT_DOC_ID } from "./deriveDocumentId.js";
