import { AppError } from "../../lib/errors";
import { retryable, type UpstreamFault } from "../../upstreams/whatsapp/types";

/** Seconds a client should wait after a rate limit: longer for one recipient than for the number. */
const PAIR_LIMIT_RETRY_S = 6;
const RATE_LIMIT_RETRY_S = 2;

/** What a refused send tells the client, by the fault's kind; the upstream's code travels in `upstreamCode`. */
export function sendFault(f: UpstreamFault): AppError {
  const details = { upstreamCode: f.code };
  switch (f.kind) {
    case "window_closed":
      return new AppError("window_closed", `Meta refused a free-form message outside the 24-hour window: ${f.message}`, details);
    case "template_missing":
      return new AppError("not_found", `Meta does not know this template (name and language), or it is not approved: ${f.message}`, details);
    case "throughput_limited":
    case "pair_limited":
    case "rate_limited":
      return new AppError("rate_limited", `Meta's rate limit: ${f.message}`, {
        ...details,
        retryAfterSeconds: f.kind === "pair_limited" ? PAIR_LIMIT_RETRY_S : RATE_LIMIT_RETRY_S,
      });
    case "undeliverable":
      return new AppError("upstream_failure", `The message cannot be delivered: ${f.message}`, { ...details, reason: "undeliverable" });
    case "invalid_input":
      return new AppError("invalid_request", `Meta refused the message: ${f.message}`, details);
    case "auth":
      return new AppError("upstream_failure", `WhatsApp refused the gateway's credentials: ${f.message}`, { ...details, reason: "upstream_auth" });
  }
  if (retryable(f)) return new AppError("upstream_failure", `WhatsApp did not accept the message: ${f.message}`, { ...details, retryAfterSeconds: 30 });
  return new AppError("upstream_failure", `Meta refused the message: ${f.message}`, details);
}
