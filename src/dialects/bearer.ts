import { resolveToken } from "../core/credentials/tokens";
import { rateLimit } from "../core/limits/rate-limits";
import { AppError, unwrap } from "../lib/errors";
import { bearerToken } from "../lib/http";
import type { RequestContext } from "./dialect";

/** The account behind the request's `Authorization: Bearer` token, or an `unauthorized`/`token_expired` error. */
export async function requireAccount(request: Request, rc: RequestContext): Promise<string> {
  const token = bearerToken(request);
  if (!token) throw new AppError("unauthorized", "Missing bearer token");
  return admitAccount(rc, unwrap(await resolveToken(rc.core, token)));
}

/**
 * Every dialect's authentication ends here once it knows the account: the account's rate limit
 * (`rate_limited`, answered in the dialect's throttled format with Retry-After).
 */
export async function admitAccount(rc: RequestContext, accountId: string): Promise<string> {
  unwrap(await rateLimit(rc.core, "account", accountId));
  return accountId;
}
