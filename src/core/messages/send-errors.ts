import { AppError } from "../../lib/errors";
import { RATE_LIMIT_CODES } from "../../upstreams/whatsapp/meta-errors";
import type { UpstreamFault } from "../../upstreams/whatsapp/types";

/** Meta codes a send can meet that have an error code of their own (reference §1.5). */
const WINDOW_CLOSED = 131047;
const TEMPLATE_MISSING = 132001;
const UNDELIVERABLE = 131026;

/** What a refused send tells the client; Meta's code travels in `upstreamCode`. */
export function sendFault(f: UpstreamFault): AppError {
  const details = { upstreamCode: f.code };
  const code = typeof f.code === "number" ? f.code : undefined;
  if (code === WINDOW_CLOSED) return new AppError("window_closed", `Meta refused a free-form message outside the 24-hour window: ${f.message}`, details);
  if (code === TEMPLATE_MISSING) return new AppError("not_found", `Meta does not know this template (name and language), or it is not approved: ${f.message}`, details);
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
    return new AppError("rate_limited", `Meta's rate limit: ${f.message}`, { ...details, retryAfterSeconds: code === 131056 ? 6 : 2 });
  }
  if (f.transient) return new AppError("upstream_failure", `WhatsApp did not accept the message: ${f.message}`, { ...details, retryAfterSeconds: 30 });
  if (code === UNDELIVERABLE) return new AppError("upstream_failure", `The message cannot be delivered: ${f.message}`, { ...details, reason: "undeliverable" });
  if (f.invalidInput) return new AppError("invalid_request", `Meta refused the message: ${f.message}`, details);
  return new AppError("upstream_failure", `Meta refused the message: ${f.message}`, details);
}
