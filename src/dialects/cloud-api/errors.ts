import * as z from "zod";
import type { AppError, ErrorCode, ErrorReason, FieldIssue } from "../../lib/errors";
import { json } from "../../lib/http";

/**
 * Meta's Graph API errors (reference §1.4): `{"error": {message: "(#<code>) <title>", type, code,
 * error_subcode, error_data: {messaging_product, details}, is_transient, fbtrace_id}}` with the
 * HTTP status and code Meta answers for the same trouble (§1.5). When the upstream refused with a
 * code of its own (Meta's 131047, 131056…), that code is the answer: it is Meta's already.
 */

interface GraphKind {
  status: number;
  code: number;
  title: string;
  subcode?: number;
  transient?: boolean;
  type?: string;
}

const k = (status: number, code: number, title: string, extra: Partial<GraphKind> = {}): GraphKind => ({ status, code, title, ...extra });

const INVALID = k(400, 100, "Invalid parameter");
const MAPPING: Record<ErrorCode, GraphKind> = {
  malformed_body: INVALID,
  invalid_request: INVALID,
  payload_too_large: k(413, 100, "Invalid parameter"),
  unauthorized: k(401, 190, "Invalid OAuth access token - Cannot parse access token"),
  token_expired: k(401, 190, "Access token has expired", { subcode: 463 }),
  forbidden: k(403, 10, "Application does not have permission for this action"),
  not_found: k(400, 100, "Unsupported request. Object does not exist, cannot be loaded due to missing permissions, or does not support this operation", { subcode: 33, type: "GraphMethodException" }),
  conflict: INVALID,
  name_taken: INVALID,
  number_in_use: INVALID,
  verification_failed: k(400, 133005, "Two step verification PIN Mismatch"),
  window_closed: k(400, 131047, "Re-engagement message"),
  insufficient_funds: k(400, 131042, "Business eligibility payment issue"),
  plan_inactive: k(400, 131042, "Business eligibility payment issue"),
  rate_limited: k(429, 130429, "Rate limit hit", { transient: true }),
  upstream_failure: k(500, 131000, "Something went wrong", { transient: true }),
  unavailable: k(503, 131016, "Service unavailable", { transient: true }),
  internal: k(500, 131000, "Something went wrong", { transient: true }),
};

/** Finer kinds carried by `details.reason`. */
const BY_REASON: Partial<Record<ErrorReason, GraphKind>> = {
  number_not_ready: k(400, 133010, "Account not registered"),
  no_ready_number: k(400, 133010, "Account not registered"),
  template_not_found: k(404, 132001, "Template name does not exist in the translation"),
  template_not_approved: k(404, 132001, "Template name does not exist in the translation"),
  undeliverable: k(400, 131026, "Message undeliverable"),
  upstream_auth: k(500, 131000, "Something went wrong"),
};

/** Meta's codes a refusal may carry through `upstreamCode`, with their titles; others keep the mapping's title. */
const META_TITLES: Record<number, string> = {
  130429: "Rate limit hit",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  131047: "Re-engagement message",
  131026: "Message undeliverable",
  131030: "Recipient phone number not in allowed list",
  132000: "Number of parameters does not match the expected number of params",
  132001: "Template name does not exist in the translation",
  131053: "Media upload error",
};

/** Meta's HTTP status for a code whose status differs from the one the core error maps to (reference §1.5). */
const META_STATUS: Record<number, number> = { 132001: 404 };

const HIDDEN: Partial<Record<ErrorCode, string>> = {
  internal: "An unexpected error occurred. Quote the X-Request-Id header to the operator.",
  unavailable: "The gateway cannot serve this request right now. Quote the X-Request-Id header to the operator.",
};

const issueText = (issues: FieldIssue[]) => issues.map((i) => `${i.field}: ${i.reason}`).join("; ");

export const GraphErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.object({ messaging_product: z.literal("whatsapp"), details: z.string() }),
    is_transient: z.boolean(),
    fbtrace_id: z.string(),
  }),
});

export function renderGraphError(error: AppError, requestId: string): Response {
  const base = (error.details.reason && BY_REASON[error.details.reason]) || MAPPING[error.code];
  const upstream = typeof error.details.upstreamCode === "number" ? error.details.upstreamCode : undefined;
  const kind = upstream !== undefined ? { ...base, status: META_STATUS[upstream] ?? base.status, code: upstream, title: META_TITLES[upstream] ?? base.title, subcode: undefined } : base;
  // Meta's template-parameter count: a field issue Meta has its own code for.
  const counted = error.details.issues?.some((i) => i.kind === "count_mismatch") ? { ...kind, code: 132000, title: META_TITLES[132000]! } : kind;
  const details = HIDDEN[error.code] ?? (error.details.issues?.length ? issueText(error.details.issues) : error.message);
  const headers: Record<string, string> = counted.status === 401 ? { "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"' } : {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return json(
    {
      error: {
        message: `(#${counted.code}) ${counted.title}`,
        type: counted.type ?? "OAuthException",
        code: counted.code,
        ...(counted.subcode === undefined ? {} : { error_subcode: counted.subcode }),
        error_data: { messaging_product: "whatsapp", details },
        is_transient: counted.transient ?? false,
        fbtrace_id: requestId,
      },
    },
    counted.status,
    headers,
  );
}
