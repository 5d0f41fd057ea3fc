import type { FaultKind, UpstreamFault } from "./types";

/** Meta's error object (reference §1.4). */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string } | string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/**
 * Codes worth retrying (reference §1.5): service and throughput faults, rate limits, maintenance.
 * Anything else from a 4xx is permanent.
 */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 80007, 130429, 131000, 131016, 131056, 131057, 133000, 133004]);
/**
 * Codes with a kind of their own (reference §1.5–1.6). The rate limits come first: all are
 * transient codes too. A free-form message outside the window and an unknown template are what
 * they are whatever else the answer says.
 */
const CODE_KINDS = new Map<number, FaultKind>([
  [130429, "throughput_limited"],
  [131056, "pair_limited"],
  [4, "rate_limited"],
  [17, "rate_limited"],
  [80007, "rate_limited"],
  [131047, "window_closed"],
  [132001, "template_missing"],
]);
/** Not delivered: the recipient cannot receive it (e.g. not on WhatsApp). */
const UNDELIVERABLE = 131026;
/** Meta refuses the input itself: the client can fix it. */
const INVALID_INPUT_CODES = new Set([33, 100, 131008, 131009, 131021, 131045, 131051, 131053, 132000, 132005, 132007, 132012, 133005, 133006, 133010, 133015]);
/** A refused access token or missing permission (reference §1.5): the gateway's credentials. */
const isAuthCode = (code: number) => code === 0 || code === 10 || code === 104 || code === 190 || (code >= 200 && code <= 299);
/** `verify_code` with a wrong code. */
export const WRONG_CODE_CODES = new Set([136025]);

function kindOf(status: number, error: GraphError | undefined): FaultKind {
  const code = error?.code;
  const known = code === undefined ? undefined : CODE_KINDS.get(code);
  if (known) return known;
  if (status >= 500 || status === 429 || error?.is_transient === true || (code !== undefined && TRANSIENT_CODES.has(code))) return "transient";
  if (code === UNDELIVERABLE) return "undeliverable";
  if (code !== undefined && isAuthCode(code)) return "auth";
  if (code !== undefined && INVALID_INPUT_CODES.has(code)) return "invalid_input";
  return "permanent";
}

export function graphFault(status: number, error: GraphError | undefined, headerTraceId: string | null): UpstreamFault {
  const details = typeof error?.error_data === "string" ? error.error_data : error?.error_data?.details;
  return {
    kind: kindOf(status, error),
    message: error?.error_user_msg ?? details ?? error?.message ?? `Meta answered HTTP ${status}`,
    code: error?.code,
    traceId: error?.fbtrace_id ?? headerTraceId ?? undefined,
  };
}
