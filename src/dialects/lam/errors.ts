import * as z from "zod";
import pkg from "../../../package.json";
import type { AppError, ErrorCode, ErrorReason, FieldIssue, FieldIssueKind } from "../../lib/errors";
import { json } from "../../lib/http";

/**
 * LAfricaMobile = 360dialog's On-Premise API, whose errors are the WhatsApp Business API client's
 * (reference §2.6): `{"errors":[{code, title, details}], "meta":{api_status, version}}`, with the
 * client's own codes (Meta's "Error and Status Messages" page for the On-Premises API): 1000
 * generic, 1004 resource already exists, 1005 access denied, 1006 resource not found, 1008
 * required parameter missing, 1009 parameter value not valid, 1010 parameter not required, 1011
 * service not ready, 1014 internal error, 1015 too many requests, 1025 invalid request, 1026
 * receiver incapable, 2000 template parameter count mismatch, 2001 template missing, 470
 * re-engagement (outside the 24 h window), 402 business eligibility (payment). A field error
 * becomes one entry per field.
 */

export const LAM_META = { api_status: "stable", version: pkg.version } as const;

interface LamKind {
  status: number;
  code: number;
  title: string;
}

const kind = (status: number, code: number, title: string): LamKind => ({ status, code, title });

const GENERIC = "Generic error";
const MAPPING: Record<ErrorCode, LamKind> = {
  malformed_body: kind(400, 1025, "Invalid request"),
  invalid_request: kind(400, 1009, "Parameter value is not valid"),
  payload_too_large: kind(413, 1000, GENERIC),
  unauthorized: kind(401, 1005, "Access denied"),
  token_expired: kind(401, 1005, "Access denied"),
  forbidden: kind(403, 1005, "Access denied"),
  not_found: kind(404, 1006, "Resource not found"),
  conflict: kind(409, 1000, GENERIC),
  name_taken: kind(409, 1004, "Resource already exists"),
  number_in_use: kind(409, 1004, "Resource already exists"),
  verification_failed: kind(400, 1009, "Parameter value is not valid"),
  window_closed: kind(403, 470, "Re-engagement message"),
  insufficient_funds: kind(402, 402, "Business eligibility — Payment issue"),
  plan_inactive: kind(402, 402, "Business eligibility — Payment issue"),
  rate_limited: kind(429, 1015, "Too many requests"),
  upstream_failure: kind(502, 1000, GENERIC),
  unavailable: kind(503, 1011, "Service not ready"),
  internal: kind(500, 1014, "Internal error"),
};

/** Finer kinds carried by `details.reason`. */
const BY_REASON: Partial<Record<ErrorReason, LamKind>> = {
  number_not_ready: kind(409, 1011, "Service not ready"),
  template_not_found: kind(404, 2001, "Template missing"),
  template_not_approved: kind(409, 2001, "Template missing"),
  undeliverable: kind(400, 1026, "Receiver incapable"),
};

const HIDDEN: Partial<Record<ErrorCode, string>> = {
  internal: "An unexpected error occurred. Quote the X-Request-Id header to the operator.",
  unavailable: "The gateway cannot serve this request right now. Quote the X-Request-Id header to the operator.",
};

type FieldCode = Omit<LamKind, "status">;

/** A field of an invalid request by what is wrong with it: missing (1008), not expected (1010), template parameter count (2000); any other problem is 1009. */
const BY_FIELD_KIND: Partial<Record<FieldIssueKind, FieldCode>> = {
  required: { code: 1008, title: "Required parameter is missing" },
  unexpected_field: { code: 1010, title: "Parameter is not required" },
  count_mismatch: { code: 2000, title: "Template Param Count Mismatch" },
};
const INVALID_VALUE: FieldCode = { code: 1009, title: "Parameter value is not valid" };

function fieldEntry(issue: FieldIssue) {
  const { code, title } = BY_FIELD_KIND[issue.kind] ?? INVALID_VALUE;
  return { code, title, details: `${issue.field}: ${issue.reason}` };
}

/** One entry per field of an invalid request; one entry saying the message otherwise. */
function entries(error: AppError, k: LamKind, byReason: boolean) {
  const issues = error.details.issues ?? [];
  if (error.code === "invalid_request" && !byReason && issues.length) return issues.map(fieldEntry);
  return [{ code: k.code, title: k.title, details: HIDDEN[error.code] ?? error.message }];
}

const ErrorEntry = z.object({ code: z.number().int(), title: z.string(), details: z.string() });
export const LamMetaSchema = z.object({ api_status: z.literal("stable"), version: z.string() });
export const LamErrorSchema = z.object({ errors: z.array(ErrorEntry).min(1), meta: LamMetaSchema }).meta({ id: "LamError" });

export function renderLamError(error: AppError, _requestId: string): Response {
  const special = error.details.reason ? BY_REASON[error.details.reason] : undefined;
  const k = special ?? MAPPING[error.code];
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return json({ errors: entries(error, k, special !== undefined), meta: LAM_META }, k.status, headers);
}
