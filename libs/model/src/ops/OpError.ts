/** Why an operation refused to run. */
export const OpErrorCode = {
  /** The channel, session, message or task is not in the document. */
  notFound: "not-found",
  /** It was deleted. */
  deleted: "deleted",
  /** The document is of another type than the operation expects. */
  wrongType: "wrong-type",
  /** The document was written by a newer BotsChat; it is read-only here. */
  tooNew: "too-new",
  /** The input is not valid (an empty name, a bad schedule…). */
  invalid: "invalid",
} as const;
export type OpErrorCode = (typeof OpErrorCode)[keyof typeof OpErrorCode];

/**
 * The one error type of the operations. Expected outcomes of agent-side operations (a claim
 * lost, a request already consumed) are return values, not errors; an `OpError` means the caller
 * asked for something that is not there or not valid.
 */
export class OpError extends Error {
  readonly code: OpErrorCode;
  constructor(code: OpErrorCode, message: string) {
    super(message);
    this.name = "OpError";
    this.code = code;
  }
}
