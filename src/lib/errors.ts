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

/**
 * The finer kind of an error, beside its code: closed too, so a dialect that names one separately
 * (Vonage's `conflict-resend-otp`, LAfricaMobile's 1011 and 2001, EngageLab's 5002) maps a value
 * TypeScript knows, and a dialect without such a distinction ignores it.
 */
export type ErrorReason =
  | "deployment_state" // conflict: the number's deployment is not in a state that allows this
  | "resend_otp" // conflict: no verification code can be sent in the deployment's state
  | "wrong_code" // verification_failed: the code is not the one sent
  | "too_many_attempts" // verification_failed: too many wrong codes; a new one must be requested
  | "profile" // invalid_request: the business profile update was refused
  | "revoked" // unauthorized: a dev_key whose secret matches, but which was revoked
  | "number_not_ready" // conflict: the number cannot send until its verification is finished
  | "no_ready_number" // not_found: the account has no READY number to send from
  | "template_not_found" // not_found: no such template in that language
  | "template_not_approved" // conflict: the template exists but is not APPROVED
  | "template_rejected" // invalid_request or name_taken: a template creation was refused
  | "undeliverable" // upstream_failure: the recipient cannot receive WhatsApp messages
  | "upstream_auth" // upstream_failure: the upstream refused the gateway's own credentials
  | "in_progress" // conflict: a request with this idempotency key is still being sent
  | "idempotency_key_reused" // conflict: this idempotency key was used for a different request
  | "campaign_done" // conflict: the campaign is finished
  | "campaign_state" // conflict: the campaign cannot move to the asked state
  | "account_suspended"; // forbidden: the operator suspended the account; every credential of it is refused

/**
 * What is wrong with a field, for machines: zod's issue codes (see `lib/validation.ts`) and the
 * hand-written checks both say one of these, so a dialect chooses its wire code from the kind and
 * never from the English text.
 */
export type FieldIssueKind =
  | "required" // absent
  | "invalid_type" // present, but not of the expected type
  | "too_short" // a string or list under its minimum length
  | "too_long" // a string or list over its maximum length
  | "too_small" // a number or date under its minimum
  | "too_big" // a number or date over its maximum
  | "invalid_format" // a string not in the expected form (URL, phone number, pattern…)
  | "invalid_value" // not one of the values or combinations accepted
  | "unexpected_field" // a field not accepted here (unknown, or not allowed with the others)
  | "not_found" // names something that does not exist (a template)
  | "count_mismatch"; // a number of items (a template's parameters) other than the one expected

export interface FieldIssue {
  /** Dotted path of the offending field in the request, e.g. `signup.webhook`. */
  field: string;
  kind: FieldIssueKind;
  /** What is wrong with it, in English. */
  reason: string;
}

export interface ErrorDetails {
  issues?: FieldIssue[];
  retryAfterSeconds?: number;
  reason?: ErrorReason;
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
