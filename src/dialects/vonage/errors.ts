import * as z from "zod";
import type { AppError, ErrorCode } from "../../lib/errors";
import { json } from "../../lib/http";

/**
 * Vonage's error format (reference §4.3): `type` (a documentation URL), `title`, `detail`,
 * `instance` (a 32-hex trace id: our request id) and, where the spec has it, `invalid_parameters`.
 */
const GENERIC = "https://developer.nexmo.com/api-errors";
const PROVISIONING = `${GENERIC}/whatsapp-provisioning`;

export interface VonageKind {
  status: number;
  type: string;
  title: string;
  /** Replaces the error's own message (hidden causes, Vonage's fixed wording). */
  detail?: string;
}

export const kind = (status: number, type: string, title: string, detail?: string): VonageKind => ({ status, type, title, detail });

const MAPPING: Record<ErrorCode, VonageKind> = {
  malformed_body: kind(400, `${PROVISIONING}#invalid-json`, "Invalid JSON"),
  invalid_request: kind(400, `${PROVISIONING}#invalid-json`, "Invalid JSON"),
  payload_too_large: kind(413, `${PROVISIONING}#invalid-json`, "Payload Too Large"),
  unauthorized: kind(
    401,
    `${GENERIC}#unauthorized`,
    "You did not provide correct credentials.",
    "Check that you're using the correct credentials, and that your account has this feature enabled",
  ),
  token_expired: kind(401, `${GENERIC}#jwt-expired`, "Unauthorized", "The JWT has expired."),
  forbidden: kind(403, `${GENERIC}#forbidden`, "Forbidden"),
  not_found: kind(404, `${GENERIC}#not-found`, "Not Found"),
  conflict: kind(409, `${PROVISIONING}#conflict-deployment-state`, "Conflict"),
  name_taken: kind(409, `${PROVISIONING}#conflict-deployment-state`, "Conflict"),
  number_in_use: kind(409, `${PROVISIONING}#number-in-use`, "Number already in use"),
  verification_failed: kind(422, `${PROVISIONING}#verification-failed`, "Verification Failed"),
  window_closed: kind(403, `${GENERIC}#forbidden`, "Forbidden"),
  insufficient_funds: kind(402, `${GENERIC}#low-balance`, "Low Balance"),
  plan_inactive: kind(403, `${GENERIC}#forbidden`, "Forbidden"),
  rate_limited: kind(429, `${PROVISIONING}#throttled`, "Throttled"),
  upstream_failure: kind(502, `${GENERIC}#unavailable`, "Upstream Failure"),
  unavailable: kind(503, `${GENERIC}#unavailable`, "Service Unavailable", "The service is unavailable right now."),
  internal: kind(500, `${GENERIC}#internal-error`, "Internal Error", "An unexpected error occurred."),
};

/** Codes whose Vonage type depends on the finer `details.reason`. */
function kindOf(error: AppError): VonageKind {
  const { reason, issues } = error.details;
  if (error.code === "conflict" && reason === "resend_otp") return kind(409, `${PROVISIONING}#conflict-resend-otp`, "Deployment Completed, Resend Failed");
  if (error.code === "invalid_request" && (issues?.length || reason === "profile")) {
    return reason === "profile"
      ? kind(422, `${PROVISIONING}#unprocessable-profile-update`, "Unprocessable Entity")
      : kind(422, `${PROVISIONING}#unprocessable`, "Unprocessable Entity");
  }
  return MAPPING[error.code];
}

export const VonageErrorSchema = z.object({
  type: z.string(),
  title: z.string(),
  detail: z.string(),
  instance: z.string(),
  invalid_parameters: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
}).meta({ id: "VonageError" });

export function renderVonageError(error: AppError, requestId: string): Response {
  const issues = error.details.issues?.map((i) => ({ name: i.field, reason: i.reason }));
  const invalid = error.code === "verification_failed" ? [{ name: "code", reason: error.message }] : issues;
  return vonageProblem(kindOf(error), error, requestId, invalid);
}

/** A Vonage problem response (both Vonage dialects): `instance` is our request id, 32 hex digits. */
export function vonageProblem(k: VonageKind, error: AppError, requestId: string, invalid?: { name: string; reason: string }[]): Response {
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return json(
    {
      type: k.type,
      title: k.title,
      detail: k.detail ?? error.message,
      instance: requestId.replace(/^req_/, ""),
      ...(invalid?.length ? { invalid_parameters: invalid } : {}),
    },
    k.status,
    headers,
  );
}
