import * as z from "zod";
import type { AppError, ErrorCode } from "../../lib/errors";
import { json } from "../../lib/http";

/** HTTP status of each code in the native API (also used by the system routes). */
const NATIVE_STATUS: Record<ErrorCode, number> = {
  malformed_body: 400,
  invalid_request: 400,
  payload_too_large: 413,
  unauthorized: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  name_taken: 409,
  number_in_use: 409,
  verification_failed: 422,
  window_closed: 403,
  insufficient_funds: 402,
  plan_inactive: 402,
  rate_limited: 429,
  upstream_failure: 502,
  unavailable: 503,
  internal: 500,
};

const HIDDEN: Partial<Record<ErrorCode, string>> = {
  internal: "An unexpected error occurred. Quote the request id to the operator.",
  unavailable: "The gateway cannot serve this request right now. Quote the request id to the operator.",
};

export const NativeErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    request_id: z.string(),
    issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
}).meta({ id: "NativeError" });

/** The operator's routes' refusals, declared once (requireAdmin: token or operator session, CSRF on cookie changes). */
export const adminErrors = {
  401: { description: "Missing or wrong admin token, or no operator session", schema: NativeErrorSchema },
  403: { description: "ADMIN_TOKEN is not configured, an account's session, or a cookie change without X-CSRF-Token", schema: NativeErrorSchema },
};

export function renderNativeError(error: AppError, requestId: string): Response {
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return json(
    {
      error: {
        code: error.code,
        message: HIDDEN[error.code] ?? error.message,
        request_id: requestId,
        ...(error.details.issues ? { issues: error.details.issues.map(({ field, reason }) => ({ field, reason })) } : {}),
      },
    },
    NATIVE_STATUS[error.code],
    headers,
  );
}
