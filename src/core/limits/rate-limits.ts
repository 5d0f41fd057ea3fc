import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { isLoopbackAddress } from "../../lib/url-policy";

/**
 * Rate limits on Cloudflare's Rate Limiting binding (`[[ratelimits]]` in wrangler.toml, simulated
 * locally by miniflare). Each kind is one binding whose limit and period the operator sets there;
 * a throttled call answers `rate_limited` with `Retry-After` = the binding's period, which
 * Cloudflare does not expose at run time, hence the table below (`npm run lint` checks it against wrangler.toml).
 */
const LIMITS = {
  /** Every authenticated request, keyed by the account. */
  account: { binding: "RATE_LIMIT_ACCOUNT", periodSeconds: 10 },
  /** Every check of a dev key, number key or Vonage JWT, keyed by its target. */
  credential: { binding: "RATE_LIMIT_CREDENTIAL", periodSeconds: 10 },
  /** Token issuance from id_user/key_user, keyed by id_user. */
  signin: { binding: "RATE_LIMIT_SIGNIN", periodSeconds: 60 },
  /** Signups, keyed by the client's IP. */
  signup: { binding: "RATE_LIMIT_SIGNUP", periodSeconds: 60 },
  /** Public callbacks (pawaPay, Meta's handshake), keyed by the client's IP. */
  callback: { binding: "RATE_LIMIT_CALLBACK", periodSeconds: 60 },
} as const;

export type LimitKind = keyof typeof LIMITS;

/**
 * The kinds keyed by the client's address. In development, `wrangler dev` gives every local
 * request 127.0.0.1: the developer's own machine (walk-throughs, the docs test) is not one
 * abusive client. Production never sees a loopback CF-Connecting-IP.
 */
const PER_ADDRESS = { signup: true, callback: true } as const;

/**
 * Counts one request against `kind` for `key` and refuses it past the limit. A request without a
 * key (no client IP: only outside Cloudflare's edge, where CF-Connecting-IP is always set) is not
 * limited by that kind, nor, in development, a request from this machine (PER_ADDRESS).
 */
export async function rateLimit(ctx: CoreContext, kind: LimitKind, key: string | null): Promise<Result<void>> {
  if (!key || (kind in PER_ADDRESS && !ctx.config.production && isLoopbackAddress(key))) return ok(undefined);
  const { binding, periodSeconds } = LIMITS[kind];
  const { success } = await ctx.env[binding].limit({ key: `${kind}:${key}` });
  if (success) return ok(undefined);
  ctx.log.log("warn", "rate_limited", { limit: kind });
  return fail("rate_limited", `Too many requests; retry in ${periodSeconds} s`, { retryAfterSeconds: periodSeconds });
}
