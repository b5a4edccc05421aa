import type { ErrorCode } from "@botschat/protocol";

/** The REST layer's one error type ([X1]); anything else becomes an opaque, logged 500. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500,
    readonly code: ErrorCode,
    message: string,
    /** Extra fields of the error body (the stored vault on a 409). */
    readonly extra?: Record<string, unknown>,
    /** Seconds, for `Retry-After` on 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, "bad_request", message);
export const unauthorized = (message = "Sign in again: the token is missing, expired or revoked.") => new ApiError(401, "unauthorized", message);
export const notFound = (message = "Not found.") => new ApiError(404, "not_found", message);
