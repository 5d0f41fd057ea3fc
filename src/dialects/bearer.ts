import { ensureActive } from "../core/accounts/suspension";
import { resolveToken } from "../core/credentials/tokens";
import { rateLimit } from "../core/limits/rate-limits";
import { AppError, unwrap } from "../lib/errors";
import { bearerToken } from "../lib/http";
import type { RequestContext } from "./dialect";

/**
 * The account behind the request's `Authorization: Bearer` token, or behind its console session
 * (set on `rc` by the native dialect's session guard only), or an `unauthorized`/`token_expired` error.
 */
export async function requireAccount(request: Request, rc: RequestContext): Promise<string> {
  const token = bearerToken(request);
  if (!token && rc.session) {
    if (rc.session.role !== "account") throw new AppError("forbidden", "An operator session acts on no account; open an account's session");
    return admitAccount(rc, rc.session.accountId!);
  }
  if (!token) throw new AppError("unauthorized", "Missing bearer token");
  return admitAccount(rc, unwrap(await resolveToken(rc.core, token)));
}

/**
 * Every dialect's authentication ends here once it knows the account: a suspended account is
 * refused (`forbidden`, whatever credential and cache brought it here), then the account's rate
 * limit (`rate_limited`, answered in the dialect's throttled format with Retry-After).
 */
export async function admitAccount(rc: RequestContext, accountId: string): Promise<string> {
  unwrap(await ensureActive(rc.core, accountId));
  unwrap(await rateLimit(rc.core, "account", accountId));
  return accountId;
}
