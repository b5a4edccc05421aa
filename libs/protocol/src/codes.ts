/** Error codes of `error` frames and REST error bodies (docs/specification.md 2 [X1] and 3.3). */
export const ErrorCode = {
  badFrame: "bad_frame",
  unauthorized: "unauthorized",
  tooLarge: "too_large",
  rateLimited: "rate_limited",
  quotaExceeded: "quota_exceeded",
  invalid: "invalid",
  badRequest: "bad_request",
  forbidden: "forbidden",
  notFound: "not_found",
  conflict: "conflict",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that may appear in an `error` frame on the sync socket. */
export const FRAME_ERROR_CODES = [
  ErrorCode.badFrame,
  ErrorCode.unauthorized,
  ErrorCode.tooLarge,
  ErrorCode.rateLimited,
  ErrorCode.quotaExceeded,
  ErrorCode.invalid,
  ErrorCode.internal,
] as const;
export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

/** WebSocket close codes used by the relay. */
export const CloseCode = {
  /** Normal closure. */
  normal: 1000,
  /** The relay is shutting down ([P2]). */
  goingAway: 1001,
  /** A frame larger than the hard frame limit. */
  messageTooBig: 1009,
  /** A frame before `hello`, or too many bad frames ([H1], 3.3). */
  badFrame: 4400,
  /** Bad, expired or revoked token; logout; account deleted ([H1]). */
  unauthorized: 4401,
  /** No `hello` in time ([H1]). */
  helloTimeout: 4408,
  /** Another socket took over this pairing token ([H2]). */
  replaced: 4409,
  /** The user (or the address, before hello) has too many sockets open. */
  tooManySockets: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
