/**
 * The one application error. Its codes are a closed set: every dialect maps each of them to its
 * own wire format in a single `Record<ErrorCode, …>`, so adding a code forces every dialect to
 * decide how to say it.
 */
export const ERROR_CODES = [
  "malformed_body", // the body is not JSON (or not declared as JSON) at all
  "invalid_request", // a field is missing or malformed
  "payload_too_large", // body over the size limit
  "unauthorized", // no credentials, or credentials we do not know
  "token_expired", // a credential we know, past its expiry
  "forbidden", // known caller, not allowed to do this
  "not_found", // no such resource for this account
  "conflict", // the resource is not in a state that allows this
  "name_taken", // a unique name is already used
  "number_in_use", // the phone number already belongs to a live deployment (any account)
  "verification_failed", // wrong OTP, or too many wrong OTPs until a new code is requested
  "window_closed", // a free-form message to someone who has not written in the last 24 hours
  "insufficient_funds", // the wallet cannot pay for it
  "plan_inactive", // no active plan or trial for a paid action
  "rate_limited", // too many requests; retry later
  "upstream_failure", // Meta or the mobile-money provider failed
  "unavailable", // the gateway is not able to serve (misconfigured, dependency down)
  "internal", // anything unexpected
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field in the request, e.g. `signup.webhook`. */
  field: string;
  /** What is wrong with it, in English. */
  reason: string;
}

export interface ErrorDetails {
  issues?: FieldIssue[];
  retryAfterSeconds?: number;
  /**
   * A finer kind some dialects name separately (e.g. `conflict` + "resend_otp" is Vonage's
   * `conflict-resend-otp`); dialects without such a distinction ignore it.
   */
  reason?: string;
  /** The upstream's own error code (Meta's 131047, 132001…), when it refused. */
  upstreamCode?: number | string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Expected outcomes travel as values; only the unexpected throws. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: ErrorCode, message: string, details?: ErrorDetails): Result<T> => ({
  ok: false,
  error: new AppError(code, message, details),
});

/** Unwraps a result at a boundary that turns errors into responses. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
