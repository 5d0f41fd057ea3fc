import type { UpstreamFault } from "./types";

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
/** Rate limits (app, WABA, throughput, business–consumer pair): the client should slow down. */
export const RATE_LIMIT_CODES = new Set([4, 17, 80007, 130429, 131056]);
/** Meta refuses the input itself: the client can fix it. */
const INVALID_INPUT_CODES = new Set([33, 100, 131008, 131009, 131021, 131045, 131051, 131053, 132000, 132005, 132007, 132012, 133005, 133006, 133010, 133015]);
/** `verify_code` with a wrong code. */
export const WRONG_CODE_CODES = new Set([136025]);

export function graphFault(status: number, error: GraphError | undefined, headerTraceId: string | null): UpstreamFault {
  const code = error?.code;
  const details = typeof error?.error_data === "string" ? error.error_data : error?.error_data?.details;
  const transient =
    status >= 500 || status === 429 || error?.is_transient === true || (code !== undefined && TRANSIENT_CODES.has(code));
  return {
    transient,
    invalidInput: !transient && code !== undefined && INVALID_INPUT_CODES.has(code),
    message: error?.error_user_msg ?? details ?? error?.message ?? `Meta answered HTTP ${status}`,
    code,
    traceId: error?.fbtrace_id ?? headerTraceId ?? undefined,
  };
}
