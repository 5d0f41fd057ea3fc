import * as z from "zod";
import type { AppError, ErrorCode } from "../../lib/errors";
import { json } from "../../lib/http";

/**
 * EngageLab's error format `{code, message}` (seed 002) with its codes and HTTP statuses:
 * 1000/500 internal, 2001/401 no valid key, 2002/401 key disabled, 2003/400 WhatsApp refused our
 * credentials (Meta's auth codes), 2004/403 not allowed to send, 3001/400 not JSON, 3002/400 bad parameters, 3003/400
 * a parameter refused with its own message, 4001/400 no such resource, and 5002/400 a template
 * Meta rejected (template API). Codes the seed does not list reuse the nearest EngageLab code;
 * the table is documented in the README.
 */
interface Kind {
  code: number;
  status: number;
  /** Replaces the error's own message (hidden causes, fixed wording). */
  message?: string;
}

const kind = (code: number, status: number, message?: string): Kind => ({ code, status, message });

const MAPPING: Record<ErrorCode, Kind> = {
  malformed_body: kind(3001, 400),
  invalid_request: kind(3002, 400),
  payload_too_large: kind(3001, 413),
  unauthorized: kind(2001, 401),
  token_expired: kind(2002, 401),
  forbidden: kind(2004, 403),
  not_found: kind(4001, 400),
  conflict: kind(3003, 400),
  name_taken: kind(3003, 400),
  number_in_use: kind(3003, 400),
  verification_failed: kind(3003, 400),
  window_closed: kind(3003, 400),
  insufficient_funds: kind(2004, 403),
  plan_inactive: kind(2004, 403),
  rate_limited: kind(1000, 429),
  upstream_failure: kind(1000, 502),
  unavailable: kind(1000, 503, "Service unavailable; retry later and quote the X-Request-Id header if it persists"),
  internal: kind(1000, 500, "Internal error; quote the X-Request-Id header to the operator"),
};

function kindOf(error: AppError): Kind {
  const reason = error.details.reason;
  // A dev_key whose secret matches but which was revoked: EngageLab's "disabled" token.
  if (reason === "revoked") return kind(2002, 401);
  // The upstream refused the gateway's own credentials, not the client's.
  if (reason === "upstream_auth") {
    return kind(2003, 400, "WhatsApp authentication failed; contact the gateway's operator");
  }
  // Meta (or the sandbox store) rejected a template.
  if (reason === "template_rejected") return kind(5002, 400);
  // 3002 is for parameters that fail the request's schema (named fields); a parameter refused
  // for another reason (e.g. by Meta) is 3003, "see the message".
  if (error.code === "invalid_request" && !error.details.issues?.length) return kind(3003, 400);
  return MAPPING[error.code];
}

export const EngagelabErrorSchema = z.object({
  code: z.number().int().describe("EngageLab error code: 1000, 2001–2004, 3001–3003, 4001, 5002"),
  message: z.string(),
}).meta({ id: "EngageLabError" });

export function renderEngagelabError(error: AppError, _requestId: string): Response {
  const k = kindOf(error);
  const fields = error.details.issues?.map((i) => `${i.field}: ${i.reason}`).join("; ");
  // Field errors say only the fields; any other error says what happened, then the field if any.
  const message = k.message ?? (!fields ? error.message : error.code === "invalid_request" ? fields : `${error.message} (${fields})`);
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return json({ code: k.code, message }, k.status, headers);
}
