import type { AppError, ErrorCode } from "../../lib/errors";
import { kind, vonageProblem, type VonageKind } from "../vonage/errors";

/**
 * Vonage's Messages API errors (its OpenAPI `Error*` schemas): `{type, title, detail, instance}`,
 * `type` a link whose fragment is the code, `instance` a 32-hex trace id (our request id), and
 * `invalid_parameters` on parameter errors. Vonage answers parameter and JSON errors 422.
 */
const GENERIC = "https://developer.vonage.com/api-errors";
const MESSAGES = `${GENERIC}/messages-olympus`;


const INVALID_PARAMS = kind(422, `${MESSAGES}#1150`, "Invalid params");
const INVALID_SENDER = kind(422, `${MESSAGES}#1120`, "Invalid sender");
const INVALID_TEMPLATE = kind(422, `${MESSAGES}#1022`, "Invalid template");

const MAPPING: Record<ErrorCode, VonageKind> = {
  malformed_body: kind(422, `${GENERIC}#invalid-json`, "The request body did not contain valid JSON"),
  invalid_request: INVALID_PARAMS,
  payload_too_large: kind(413, `${GENERIC}#invalid-json`, "Payload Too Large"),
  unauthorized: kind(401, `${GENERIC}#unauthorized`, "You did not provide correct credentials.", "Check that you're using the correct credentials, and that your account has this feature enabled"),
  token_expired: kind(401, `${GENERIC}#jwt-expired`, "Unauthorized", "The JWT has expired."),
  forbidden: INVALID_SENDER,
  not_found: kind(404, `${GENERIC}#not-found`, "Not Found"),
  conflict: kind(409, `${GENERIC}#conflict`, "Conflict"),
  name_taken: kind(409, `${GENERIC}#conflict`, "Conflict"),
  number_in_use: kind(409, `${GENERIC}#conflict`, "Conflict"),
  verification_failed: INVALID_PARAMS,
  window_closed: kind(422, `${MESSAGES}#1340`, "Outside of the allowed window"),
  insufficient_funds: kind(402, `${GENERIC}#low-balance`, "Low balance", "This request could not be performed due to your account balance being low."),
  plan_inactive: kind(403, `${GENERIC}#account-suspended`, "Forbidden"),
  rate_limited: kind(429, `${MESSAGES}#1010`, "Rate Limit Hit", "Please wait, then retry your request"),
  upstream_failure: kind(502, `${MESSAGES}#1331`, "Provider error"),
  unavailable: kind(503, `${MESSAGES}#1000`, "Internal error", "The service is unavailable right now; retry later."),
  internal: kind(500, `${MESSAGES}#1000`, "Internal error", "There was an error processing your request in the Platform."),
};

function kindOf(error: AppError): VonageKind {
  const { reason, issues } = error.details;
  if (reason === "template_not_found" || reason === "template_not_approved" || reason === "template_rejected") return INVALID_TEMPLATE;
  if (reason === "number_not_ready" || issues?.some((i) => i.field === "from")) return INVALID_SENDER;
  if (reason === "account_suspended") return kind(403, `${GENERIC}#account-suspended`, "Forbidden", "This account is suspended.");
  if (reason === "undeliverable") return kind(422, `${MESSAGES}#1260`, "Destination unreachable");
  if (error.code === "conflict" && issues?.length) return INVALID_PARAMS;
  return MAPPING[error.code];
}

export function renderVonageMessagesError(error: AppError, requestId: string): Response {
  return vonageProblem(kindOf(error), error, requestId, error.details.issues?.map((i) => ({ name: i.field, reason: i.reason })));
}
